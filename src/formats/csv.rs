//! stub
use super::{ExportedFiles, Format, FormatError, ImportInput, ImportShape, Imported};
use crate::model::project::Project;
use crate::model::tag_set::TagSet;
/// stub
pub struct Csv;
impl Format for Csv {
    fn name(&self) -> &'static str { "csv" }
    fn title(&self) -> &'static str { "" }
    fn extension(&self) -> &'static str { "" }
    fn import_shape(&self) -> ImportShape { ImportShape::ExportOnly }
    fn import(&self, _input: ImportInput<'_>, _tag_set: TagSet) -> Result<Imported, FormatError> { Err(FormatError::ExportOnly("csv")) }
    fn export(&self, _project: &Project) -> Result<ExportedFiles, FormatError> { Err(FormatError::ExportOnly("csv")) }
}
