//! View ▸ Corpus Statistics…: per tag, how many spans in how many documents
//! (a bar chart in the tags' colours, drawn with `egui_plot`, and a table),
//! and per document the spans of each tag (a table of which only the rows on
//! screen are drawn). Copy puts the table shown on the clipboard as
//! tab-separated text; Export CSV writes it to a typed path through
//! `storage`, in the background, where an existing file that holds something
//! else is replaced only once the user confirms (and kept as `NAME.bak`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Align, Layout, RichText, Role, Sense, Ui, WidgetInfo};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Plot};

use crate::corpus::stats::CorpusStats;
use crate::model::tag_set::{Rgb, TagId, TagSet};
use crate::storage::{self, Conflict, Overwrite, SaveError, Saved};

use super::jobs::Job;
use super::theme;

/// The window's title.
pub const WINDOW_TITLE: &str = "Corpus statistics";
/// Accessible label of the CSV path field.
pub const CSV_PATH_LABEL: &str = "CSV file";
/// The button that copies the table shown.
pub const COPY_LABEL: &str = "Copy";
/// The button that writes the table shown to the CSV file.
pub const EXPORT_LABEL: &str = "Export CSV…";
/// The button that replaces a CSV file that holds something else.
pub const REPLACE_LABEL: &str = "Replace";

/// Height of one table row, in points.
const ROW_HEIGHT: f32 = 20.0;
/// Widths of the table's columns, in points.
const NAME_WIDTH: f32 = 240.0;
const COUNT_WIDTH: f32 = 96.0;
/// The colour of a tag used in documents but missing from the corpus tag set.
const UNKNOWN_TAG_COLOR: Rgb = Rgb([150, 150, 150]);
/// Height of one bar of the chart, in points.
const BAR_HEIGHT: f32 = 18.0;

/// One tag's line: its spans over the whole corpus, and how many documents have any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRow {
    pub name: String,
    pub color: Rgb,
    pub spans: usize,
    pub documents: usize,
}

/// One document's line: its spans of each tag, in the order of [`StatsTable::tags`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRow {
    pub name: String,
    pub spans: Vec<usize>,
}

impl DocumentRow {
    /// Its spans of every tag together.
    #[must_use]
    pub fn total(&self) -> usize {
        self.spans.iter().sum()
    }
}

/// What the window shows: the corpus's figures, laid out as its two tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsTable {
    /// The tags in the order of the corpus tag set.
    pub tags: Vec<TagRow>,
    /// The documents in the order of the corpus list.
    pub documents: Vec<DocumentRow>,
}

/// Which of the two tables is shown (and copied or exported).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Page {
    #[default]
    PerTag,
    PerDocument,
}

impl Page {
    fn title(self) -> &'static str {
        match self {
            Page::PerTag => "Per tag",
            Page::PerDocument => "Per document",
        }
    }
}

impl StatsTable {
    /// The figures of `stats` laid out as the window's tables, each tag in
    /// its colour in `tag_set` (grey for a tag the set lacks).
    #[must_use]
    pub fn of_stats(stats: &CorpusStats, tag_set: &TagSet) -> Self {
        let tags = stats
            .per_tag
            .iter()
            .map(|stat| TagRow {
                name: stat.name.clone(),
                color: tag_set.get(&stat.tag).map_or(UNKNOWN_TAG_COLOR, |tag| tag.color),
                spans: stat.spans,
                documents: stat.documents,
            })
            .collect();
        let column: HashMap<&TagId, usize> = stats
            .per_tag
            .iter()
            .enumerate()
            .map(|(at, stat)| (&stat.tag, at))
            .collect();
        let documents = stats
            .per_document
            .iter()
            .map(|(name, counts)| {
                let mut spans = vec![0; stats.per_tag.len()];
                for (tag, count) in counts {
                    if let Some(cell) = column.get(tag).and_then(|at| spans.get_mut(*at)) {
                        *cell += count;
                    }
                }
                DocumentRow {
                    name: name.clone(),
                    spans,
                }
            })
            .collect();
        Self { tags, documents }
    }

    /// The table of `page` as rows of cells, its header first.
    #[must_use]
    pub fn rows(&self, page: Page) -> Vec<Vec<String>> {
        match page {
            Page::PerTag => {
                let header = ["tag", "spans", "documents"].map(str::to_owned).to_vec();
                let rows = self
                    .tags
                    .iter()
                    .map(|tag| vec![tag.name.clone(), tag.spans.to_string(), tag.documents.to_string()]);
                std::iter::once(header).chain(rows).collect()
            }
            Page::PerDocument => {
                let header = std::iter::once("document".to_owned())
                    .chain(self.tags.iter().map(|tag| tag.name.clone()))
                    .chain(std::iter::once("total".to_owned()))
                    .collect();
                let rows = self.documents.iter().map(|document| {
                    std::iter::once(document.name.clone())
                        .chain(document.spans.iter().map(ToString::to_string))
                        .chain(std::iter::once(document.total().to_string()))
                        .collect()
                });
                std::iter::once(header).chain(rows).collect()
            }
        }
    }

    /// The table of `page` as tab-separated lines (tabs and line breaks in
    /// names become spaces), for pasting into a spreadsheet.
    #[must_use]
    pub fn to_tsv(&self, page: Page) -> String {
        self.rows(page)
            .iter()
            .map(|row| {
                let cells: Vec<String> = row.iter().map(|cell| cell.replace(['\t', '\n', '\r'], " ")).collect();
                cells.join("\t") + "\n"
            })
            .collect()
    }

    /// The table of `page` as CSV (RFC 4180: quoted where needed, CRLF line ends).
    pub fn to_csv(&self, page: Page) -> Result<String, String> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for row in self.rows(page) {
            writer.write_record(&row).map_err(|error| error.to_string())?;
        }
        let bytes = writer.into_inner().map_err(|error| error.to_string())?;
        String::from_utf8(bytes).map_err(|error| error.to_string())
    }
}

/// A CSV export under way or waiting for an answer.
enum Export {
    Writing {
        job: Job<Result<Saved, SaveError>>,
        path: PathBuf,
    },
    /// The file exists and holds something else: replace it?
    Confirm { path: PathBuf, conflicts: Vec<Conflict> },
}

/// The statistics window's state: the figures shown, the page, the CSV export.
#[derive(Default)]
pub struct CorpusStatsWindow {
    open: bool,
    table: Option<StatsTable>,
    page: Page,
    csv_path: String,
    export: Option<Export>,
    /// How the last export went, in words.
    outcome: Option<Result<String, String>>,
}

impl CorpusStatsWindow {
    /// Shows the window (its figures come with [`Self::set_table`]).
    pub fn open(&mut self) {
        self.open = true;
    }

    /// Whether the window is shown.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The figures to show; `None` while they are being counted.
    pub fn set_table(&mut self, table: Option<StatsTable>) {
        self.table = table;
    }

    /// The figures shown, if counted.
    #[must_use]
    pub fn table(&self) -> Option<&StatsTable> {
        self.table.as_ref()
    }

    /// Suggests where the CSV goes, unless the user has typed a path already.
    pub fn suggest_csv_path(&mut self, path: &Path) {
        if self.csv_path.is_empty() {
            self.csv_path = path.display().to_string();
        }
    }

    /// Draws the window inside `area` if it is open. A CSV export started here
    /// is waited for up to `wait` (tests wait for it; the window polls it).
    pub fn ui(&mut self, ctx: &egui::Context, area: egui::Rect, wait: Duration) {
        self.poll_export(wait);
        let mut open = self.open;
        egui::Window::new(WINDOW_TITLE)
            .open(&mut open)
            .constrain_to(area)
            .default_pos(area.min + egui::vec2(60.0, 20.0))
            .default_size([720.0, area.height() - 60.0])
            .show(ctx, |ui| self.contents_ui(ui, wait));
        self.open = open;
    }

    fn contents_ui(&mut self, ui: &mut Ui, wait: Duration) {
        let Some(table) = &self.table else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Counting the spans of every document…");
            });
            return;
        };
        let mut copy = false;
        let mut export = false;
        ui.horizontal(|ui| {
            for page in [Page::PerTag, Page::PerDocument] {
                ui.selectable_value(&mut self.page, page, page.title());
            }
            ui.separator();
            copy = ui
                .button(COPY_LABEL)
                .on_hover_text("Copy this table to the clipboard, tab-separated")
                .clicked();
        });
        ui.horizontal(|ui| {
            let label = ui.label(CSV_PATH_LABEL);
            ui.add(egui::TextEdit::singleline(&mut self.csv_path).desired_width(360.0))
                .labelled_by(label.id);
            let ready = !self.csv_path.trim().is_empty() && !matches!(self.export, Some(Export::Writing { .. }));
            export = ui
                .add_enabled(ready, egui::Button::new(EXPORT_LABEL))
                .on_hover_text("Write this table to the CSV file")
                .clicked();
        });
        let mut answer = None;
        match &self.export {
            Some(Export::Writing { path, .. }) => {
                ui.label(format!("Writing {}…", path.display()));
            }
            Some(Export::Confirm { path, .. }) => {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{} exists and holds something else. Replace it (the old file is kept as .bak)?",
                        path.display()
                    ));
                    if ui.button(REPLACE_LABEL).clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(false);
                    }
                });
            }
            None => match &self.outcome {
                Some(Ok(done)) => {
                    ui.label(done.as_str());
                }
                Some(Err(error)) => {
                    ui.colored_label(ui.visuals().error_fg_color, error.as_str());
                }
                None => {}
            },
        }
        ui.separator();
        match self.page {
            Page::PerTag => per_tag_ui(ui, table),
            Page::PerDocument => per_document_ui(ui, table),
        }
        if copy {
            ui.ctx().copy_text(table.to_tsv(self.page));
            self.outcome = Some(Ok(format!(
                "Copied the table ({} rows).",
                table.rows(self.page).len() - 1
            )));
        }
        if export {
            let path = PathBuf::from(self.csv_path.trim());
            self.start_export(ui.ctx(), path, &Overwrite::Nothing, wait);
        }
        match (answer, self.export.take()) {
            (Some(true), Some(Export::Confirm { path, conflicts })) => {
                self.start_export(ui.ctx(), path, &Overwrite::Confirmed(conflicts), wait);
            }
            (Some(false), Some(Export::Confirm { .. })) => self.outcome = None,
            (_, export) => self.export = export,
        }
    }

    /// Writes the table shown to `path` in the background.
    fn start_export(&mut self, ctx: &egui::Context, path: PathBuf, overwrite: &Overwrite, wait: Duration) {
        let Some(table) = &self.table else { return };
        let csv = match table.to_csv(self.page) {
            Ok(csv) => csv,
            Err(error) => {
                self.outcome = Some(Err(format!("Could not write the CSV: {error}")));
                return;
            }
        };
        let expect = overwrite.expect_for(&path);
        let target = path.clone();
        let title = format!("Exporting {}", path.display());
        match Job::start(title, &["writing the file"], Some(ctx.clone()), move |_| {
            storage::save(&target, csv.as_bytes(), &expect)
        }) {
            Ok(job) => {
                self.export = Some(Export::Writing { job, path });
                self.poll_export(wait);
            }
            Err(error) => self.outcome = Some(Err(format!("Could not export: {error}"))),
        }
    }

    /// Takes in the export's outcome once it has ended (waiting up to `wait`).
    fn poll_export(&mut self, wait: Duration) {
        let Some(Export::Writing { job, path }) = &mut self.export else {
            return;
        };
        let outcome = if wait.is_zero() { job.poll() } else { job.wait(wait) };
        let Some(outcome) = outcome else { return };
        let path = path.clone();
        self.export = None;
        self.outcome = match outcome {
            Ok(Ok(saved)) if saved.written => Some(Ok(format!("Wrote {}.", path.display()))),
            Ok(Ok(_)) => Some(Ok(format!("{} already holds this table.", path.display()))),
            Ok(Err(SaveError::Conflict(conflicts))) => {
                self.export = Some(Export::Confirm { path, conflicts });
                None
            }
            Ok(Err(error)) => Some(Err(format!("Could not export: {error}"))),
            Err(error) => Some(Err(format!("Could not export: {error}"))),
        };
    }
}

/// The bar chart (one bar per tag, in its colour) above the per-tag table.
fn per_tag_ui(ui: &mut Ui, table: &StatsTable) {
    let documents = table.documents.len();
    let spans: usize = table.tags.iter().map(|tag| tag.spans).sum();
    // A tag set is a few dozen tags at most: the chart and every row, scrolled as one.
    egui::ScrollArea::vertical()
        .id_salt("per tag")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.label(format!("{spans} spans in {documents} documents"));
            chart_ui(ui, &table.tags);
            ui.add_space(6.0);
            header_ui(ui, &["Tag", "Spans", "Documents"]);
            for tag in &table.tags {
                let cells = [tag.spans.to_string(), tag.documents.to_string()];
                let spoken = format!("{}: {} spans in {} documents", tag.name, tag.spans, tag.documents);
                row_ui(ui, Some(tag.color), &tag.name, &cells, &spoken);
            }
        });
}

/// Horizontal bars, the first tag at the top, each labelled on the left with its name.
fn chart_ui(ui: &mut Ui, tags: &[TagRow]) {
    let bars: Vec<Bar> = tags
        .iter()
        .enumerate()
        .map(|(index, tag)| {
            Bar::new(-(index as f64), tag.spans as f64)
                .name(&tag.name)
                .fill(theme::tag_color(tag.color))
                .width(0.7)
        })
        .collect();
    let names: Vec<String> = tags.iter().map(|tag| tag.name.clone()).collect();
    let most = tags.iter().map(|tag| tag.spans).max().unwrap_or(0).max(1) as f64;
    let height = BAR_HEIGHT * tags.len().max(1) as f32 + 40.0;
    Plot::new("corpus stats chart")
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, false])
        .default_x_bounds(0.0, most * 1.05)
        .default_y_bounds(-(tags.len() as f64) + 0.4, 0.6)
        .x_axis_label("spans")
        // About five round steps across, whatever the counts: egui_plot's own
        // spacer leaves counts in the tens of thousands with no label but 0.
        .x_grid_spacer(|input| {
            let (low, high) = input.bounds;
            let step = round_step((high - low) / 5.0);
            let mut marks = Vec::new();
            let mut value = (low / step).ceil() * step;
            while value <= high {
                marks.push(GridMark { value, step_size: step });
                value += step;
            }
            marks
        })
        .y_grid_spacer(|input| {
            let (low, high) = input.bounds;
            #[allow(clippy::cast_possible_truncation)] // a few dozen bars on screen
            (low.ceil() as i64..=high.floor() as i64)
                .map(|value| GridMark {
                    value: value as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        // Every bar's name at full strength: bars are closer than egui_plot's default label spacing.
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(move |mark, _| tag_name_at(&names, mark.value))
                .label_spacing(8.0..=12.0),
        ])
        .y_axis_min_width(NAME_WIDTH * 0.6)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("spans", bars).horizontal().allow_hover(true));
        });
}

/// The round step (1, 2 or 5 times a power of ten, at least 1) nearest above `rough`.
fn round_step(rough: f64) -> f64 {
    if !rough.is_finite() || rough <= 1.0 {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let mantissa = rough / power;
    let round = if mantissa <= 1.0 {
        1.0
    } else if mantissa <= 2.0 {
        2.0
    } else if mantissa <= 5.0 {
        5.0
    } else {
        10.0
    };
    round * power
}

/// The name of the tag drawn at `value` on the chart's vertical axis (tag `i` is at `-i`).
fn tag_name_at(names: &[String], value: f64) -> String {
    let index = -value.round();
    if index < 0.0 || (value + index).abs() > 1e-6 {
        return String::new();
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked: a whole number ≥ 0
    names.get(index as usize).cloned().unwrap_or_default()
}

/// The per-document table, drawing only the rows on screen.
fn per_document_ui(ui: &mut Ui, table: &StatsTable) {
    let names: Vec<&str> = table.tags.iter().map(|tag| tag.name.as_str()).collect();
    egui::ScrollArea::horizontal()
        .id_salt("per document wide")
        .show(ui, |ui| {
            ui.vertical(|ui| {
                let header: Vec<&str> = std::iter::once("Document")
                    .chain(names.iter().copied())
                    .chain(std::iter::once("Total"))
                    .collect();
                header_ui(ui, &header);
                egui::ScrollArea::vertical()
                    .id_salt("per document")
                    .auto_shrink([false, true])
                    .show_rows(ui, ROW_HEIGHT, table.documents.len(), |ui, rows| {
                        for document in &table.documents[rows] {
                            let cells: Vec<String> = document
                                .spans
                                .iter()
                                .map(ToString::to_string)
                                .chain(std::iter::once(document.total().to_string()))
                                .collect();
                            let counts: Vec<String> = names
                                .iter()
                                .zip(&document.spans)
                                .filter(|(_, count)| **count > 0)
                                .map(|(name, count)| format!("{name} {count}"))
                                .collect();
                            let spoken = format!(
                                "{}: {} spans{}{}",
                                document.name,
                                document.total(),
                                if counts.is_empty() { "" } else { ", " },
                                counts.join(", ")
                            );
                            row_ui(ui, None, &document.name, &cells, &spoken);
                        }
                    });
            });
        });
}

fn header_ui(ui: &mut Ui, titles: &[&str]) {
    ui.horizontal(|ui| {
        for (index, title) in titles.iter().enumerate() {
            let width = if index == 0 { NAME_WIDTH } else { COUNT_WIDTH };
            cell_ui(ui, width, index > 0, RichText::new(*title).strong());
        }
    });
}

/// One row: a name (with a swatch of its tag colour) and right-aligned counts;
/// `spoken` is the whole row in words, its accessible label.
fn row_ui(ui: &mut Ui, color: Option<Rgb>, name: &str, counts: &[String], spoken: &str) {
    let row = ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.allocate_ui_with_layout(
            egui::vec2(NAME_WIDTH, ROW_HEIGHT),
            Layout::left_to_right(Align::Center),
            |ui| {
                ui.set_width(NAME_WIDTH);
                if let Some(color) = color {
                    let (swatch, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), Sense::hover());
                    ui.painter().rect_filled(swatch, 2.0, theme::tag_color(color));
                }
                ui.add(egui::Label::new(name).truncate());
            },
        );
        for count in counts {
            cell_ui(ui, COUNT_WIDTH, true, RichText::new(count.as_str()));
        }
    });
    let response = ui.interact(row.response.rect, ui.scope_id().with(("row", name)), Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Row, true, spoken));
}

fn cell_ui(ui: &mut Ui, width: f32, right: bool, text: RichText) {
    let layout = if right {
        Layout::right_to_left(Align::Center)
    } else {
        Layout::left_to_right(Align::Center)
    };
    ui.allocate_ui_with_layout(egui::vec2(width, ROW_HEIGHT), layout, |ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(text).truncate());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> StatsTable {
        StatsTable {
            tags: vec![
                TagRow {
                    name: "Claim".into(),
                    color: Rgb([200, 40, 40]),
                    spans: 3,
                    documents: 2,
                },
                TagRow {
                    name: "Loaded, language".into(),
                    color: Rgb([40, 40, 200]),
                    spans: 1,
                    documents: 1,
                },
            ],
            documents: vec![
                DocumentRow {
                    name: "a".into(),
                    spans: vec![2, 1],
                },
                DocumentRow {
                    name: "sub/b".into(),
                    spans: vec![1, 0],
                },
            ],
        }
    }

    #[test]
    fn the_tables_lay_out_the_corpus_figures() {
        use crate::corpus::stats::TagStat;
        let tag_set = TagSet::default_set();
        let known = tag_set.tags[0].clone();
        let stat = |tag: &TagId, name: &str, spans, documents| TagStat {
            tag: tag.clone(),
            name: name.into(),
            spans,
            documents,
        };
        let stranger = TagId("Not_in_the_set".into());
        let stats = CorpusStats {
            per_tag: vec![
                stat(&known.id, &known.name, 3, 2),
                stat(&stranger, "Not_in_the_set", 1, 1),
            ],
            per_document: vec![
                ("a".into(), vec![(known.id.clone(), 2), (stranger.clone(), 1)]),
                ("b".into(), vec![(known.id.clone(), 1)]),
                ("c".into(), vec![]),
            ],
        };
        let table = StatsTable::of_stats(&stats, &tag_set);
        assert_eq!(table.tags[0].color, known.color);
        assert_eq!(table.tags[1].color, UNKNOWN_TAG_COLOR);
        let spans: Vec<(&str, &[usize])> = table
            .documents
            .iter()
            .map(|row| (row.name.as_str(), row.spans.as_slice()))
            .collect();
        assert_eq!(spans, [("a", &[2, 1][..]), ("b", &[1, 0][..]), ("c", &[0, 0][..])]);
    }

    #[test]
    fn tables_copy_as_tab_separated_lines() {
        assert_eq!(
            table().to_tsv(Page::PerTag),
            "tag\tspans\tdocuments\nClaim\t3\t2\nLoaded, language\t1\t1\n"
        );
        assert_eq!(
            table().to_tsv(Page::PerDocument),
            "document\tClaim\tLoaded, language\ttotal\na\t2\t1\t3\nsub/b\t1\t0\t1\n"
        );
    }

    #[test]
    fn tables_export_as_quoted_csv() {
        assert_eq!(
            table().to_csv(Page::PerTag).unwrap(),
            "tag,spans,documents\r\nClaim,3,2\r\n\"Loaded, language\",1,1\r\n"
        );
    }

    #[test]
    #[allow(clippy::float_cmp)] // 1, 2 or 5 times a power of ten: exact in f64
    fn the_horizontal_axis_steps_are_round_at_any_count() {
        assert_eq!(round_step(0.3), 1.0);
        assert_eq!(round_step(3.0), 5.0);
        assert_eq!(round_step(16_400.0), 20_000.0);
        assert_eq!(round_step(820.0), 1_000.0);
        assert_eq!(round_step(f64::NAN), 1.0);
    }

    #[test]
    fn the_vertical_axis_names_the_tag_of_each_bar() {
        let names = ["Claim".to_owned(), "Other".to_owned()];
        assert_eq!(tag_name_at(&names, 0.0), "Claim");
        assert_eq!(tag_name_at(&names, -1.0), "Other");
        assert_eq!(tag_name_at(&names, -0.5), "");
        assert_eq!(tag_name_at(&names, 1.0), "");
        assert_eq!(tag_name_at(&names, -2.0), "");
    }
}
