//! Every command the user can give, with its menu text, shortcut and
//! tooltip in one place, and the requests UI code sends to the app.
//!
//! UI code never changes the project: it pushes an [`Action`], and
//! `CounterpointApp::execute` carries out each one.

use std::ops::Range;
use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::history::GroupKey;
use crate::model::offsets::ByteOffset;
use crate::model::tag_set::TagId;

use super::interchange::ExportFormat;
use super::selection::Step;
use super::workspace::OpenAs;

/// Where a caret motion goes; with Shift the selection's head moves there
/// and its anchor stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// A step computed from the text alone.
    Step(Step),
    /// One row up or down on screen (wrapped rows count).
    RowUp,
    RowDown,
    /// One screen up or down.
    PageUp,
    PageDown,
}

impl Motion {
    /// Every motion, in the order the shortcut sheet lists them.
    pub const ALL: [Motion; 14] = [
        Motion::Step(Step::GraphemeBackward),
        Motion::Step(Step::GraphemeForward),
        Motion::Step(Step::WordBackward),
        Motion::Step(Step::WordForward),
        Motion::Step(Step::SentenceBackward),
        Motion::Step(Step::SentenceForward),
        Motion::RowUp,
        Motion::RowDown,
        Motion::Step(Step::LineBackward),
        Motion::Step(Step::LineForward),
        Motion::PageUp,
        Motion::PageDown,
        Motion::Step(Step::DocumentStart),
        Motion::Step(Step::DocumentEnd),
    ];

    /// The key and modifiers that make this motion (Shift is added to extend).
    fn key(self) -> (Modifiers, Key) {
        match self {
            Motion::Step(Step::GraphemeBackward) => (Modifiers::NONE, Key::ArrowLeft),
            Motion::Step(Step::GraphemeForward) => (Modifiers::NONE, Key::ArrowRight),
            Motion::Step(Step::WordBackward) => (Modifiers::COMMAND, Key::ArrowLeft),
            Motion::Step(Step::WordForward) => (Modifiers::COMMAND, Key::ArrowRight),
            Motion::Step(Step::SentenceBackward) => (Modifiers::ALT, Key::ArrowLeft),
            Motion::Step(Step::SentenceForward) => (Modifiers::ALT, Key::ArrowRight),
            Motion::RowUp => (Modifiers::NONE, Key::ArrowUp),
            Motion::RowDown => (Modifiers::NONE, Key::ArrowDown),
            Motion::Step(Step::LineBackward) => (Modifiers::NONE, Key::Home),
            Motion::Step(Step::LineForward) => (Modifiers::NONE, Key::End),
            Motion::PageUp => (Modifiers::NONE, Key::PageUp),
            Motion::PageDown => (Modifiers::NONE, Key::PageDown),
            Motion::Step(Step::DocumentStart) => (Modifiers::COMMAND, Key::Home),
            Motion::Step(Step::DocumentEnd) => (Modifiers::COMMAND, Key::End),
        }
    }

    /// What the motion does, in a few words.
    fn description(self) -> &'static str {
        match self {
            Motion::Step(Step::GraphemeBackward) => "one character left",
            Motion::Step(Step::GraphemeForward) => "one character right",
            Motion::Step(Step::WordBackward) => "to the previous word",
            Motion::Step(Step::WordForward) => "to the next word",
            Motion::Step(Step::SentenceBackward) => "to the previous sentence boundary",
            Motion::Step(Step::SentenceForward) => "to the next sentence boundary",
            Motion::RowUp => "one row up",
            Motion::RowDown => "one row down",
            Motion::Step(Step::LineBackward) => "to the start of the line",
            Motion::Step(Step::LineForward) => "to the end of the line",
            Motion::PageUp => "one screen up",
            Motion::PageDown => "one screen down",
            Motion::Step(Step::DocumentStart) => "to the start of the document",
            Motion::Step(Step::DocumentEnd) => "to the end of the document",
        }
    }
}

/// Which menu (and section of the shortcut sheet) a command belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    File,
    Edit,
    View,
    Caret,
    Annotate,
    Help,
}

impl Section {
    /// Every section, in the order the shortcut sheet lists them.
    pub const ALL: [Section; 6] = [
        Section::Annotate,
        Section::Caret,
        Section::Edit,
        Section::File,
        Section::View,
        Section::Help,
    ];

    /// The heading.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Section::File => "File",
            Section::Edit => "Edit",
            Section::View => "View",
            Section::Caret => "Caret and selection (add Shift to extend the selection)",
            Section::Annotate => "Annotate",
            Section::Help => "Help",
        }
    }
}

/// A command with a place in the menus or the shortcut sheet and, perhaps, a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiCommand {
    Open,
    OpenCommented,
    /// File ▸ Open Folder…: a folder of documents as one corpus.
    OpenFolder,
    Save,
    SaveAs,
    /// Save every document of the corpus that has unsaved changes.
    SaveAll,
    /// The next (previous) document of the corpus, in the document list's order.
    NextDocument,
    PreviousDocument,
    /// Give the open document the corpus tag set.
    BringTagSetInLine,
    /// Show or hide the corpus document list.
    ToggleDocumentList,
    Reload,
    /// File ▸ Recover Unsaved Work…: the work windows left when they closed without saving.
    RecoverUnsavedWork,
    /// File ▸ Replace Source Text…: carry the annotations onto a new version of the text.
    ReplaceSourceText,
    /// Go to the next annotation that needs review.
    NextReview,
    Quit,
    Undo,
    Redo,
    Find,
    /// Edit ▸ Search Corpus…: text or annotations across every document of the corpus.
    SearchCorpus,
    DeleteAnnotation,
    EditTagSet,
    /// Tag the selection with the tag of this hotkey (1–9), or untag the selected annotation.
    TagWithHotkey(u8),
    /// Offer to tag every other occurrence of the selected annotation's text the same way.
    TagAllOccurrences,
    /// Link the selected annotation to the next highlight clicked, with a type chosen then.
    LinkTo,
    NextAnnotation,
    PreviousAnnotation,
    NextUntaggedSentence,
    PreviousUntaggedSentence,
    /// Move the caret, or with `extend` the selection's head.
    Caret {
        motion: Motion,
        extend: bool,
    },
    /// Close the find bar, else drop the selection.
    Escape,
    ToggleTagPalette,
    ToggleSidePanel,
    /// View ▸ Document labels…: the labels of the document as a whole.
    DocumentLabels,
    /// View ▸ Corpus Statistics…: spans per tag and per document, as a chart and tables.
    CorpusStatistics,
    ShowShortcuts,
    /// File ▸ Import with the interchange format of this command-line name.
    Import(&'static str),
    /// File ▸ Export in this format.
    Export(ExportFormat),
    /// File ▸ Curate Annotators' Projects…: adjudicate two or more annotators' projects.
    CurateProjects,
    /// Show the next (previous) disagreement of the projects being curated.
    NextDisagreement,
    PreviousDisagreement,
    /// The agreement table of the projects being curated.
    ShowAgreement,
}

impl UiCommand {
    /// Every command that has a shortcut or a place in the shortcut sheet:
    /// the keyboard handling and the sheet both read this one list, so the
    /// sheet lists exactly the keys that work.
    #[must_use]
    pub fn all() -> Vec<UiCommand> {
        let mut all = vec![
            UiCommand::Open,
            UiCommand::OpenCommented,
            UiCommand::OpenFolder,
            UiCommand::Save,
            UiCommand::SaveAs,
            UiCommand::SaveAll,
            UiCommand::NextDocument,
            UiCommand::PreviousDocument,
            UiCommand::Reload,
            UiCommand::Quit,
            UiCommand::Undo,
            UiCommand::Redo,
            UiCommand::Find,
            UiCommand::SearchCorpus,
            UiCommand::DeleteAnnotation,
            UiCommand::EditTagSet,
        ];
        all.extend((1..=9).map(UiCommand::TagWithHotkey));
        all.extend([
            UiCommand::TagAllOccurrences,
            UiCommand::LinkTo,
            UiCommand::NextAnnotation,
            UiCommand::PreviousAnnotation,
            UiCommand::NextUntaggedSentence,
            UiCommand::PreviousUntaggedSentence,
            UiCommand::NextReview,
            UiCommand::NextDisagreement,
            UiCommand::PreviousDisagreement,
        ]);
        for extend in [false, true] {
            all.extend(Motion::ALL.map(|motion| UiCommand::Caret { motion, extend }));
        }
        all.extend([
            UiCommand::Escape,
            UiCommand::ToggleDocumentList,
            UiCommand::ToggleTagPalette,
            UiCommand::ToggleSidePanel,
            UiCommand::ShowShortcuts,
        ]);
        all
    }

    /// The commands with shortcuts, most specific first (Ctrl+Shift+S before
    /// Ctrl+S), since egui ignores extra Shift and Alt when matching.
    #[must_use]
    pub fn with_shortcuts() -> Vec<(UiCommand, KeyboardShortcut)> {
        let mut bound: Vec<(UiCommand, KeyboardShortcut)> = Self::all()
            .into_iter()
            .flat_map(|command| {
                command
                    .shortcut()
                    .into_iter()
                    .chain(command.alternative_shortcut())
                    .map(move |shortcut| (command, shortcut))
            })
            .collect();
        let specificity = |shortcut: &KeyboardShortcut| {
            let m = shortcut.modifiers;
            u8::from(m.shift) + u8::from(m.alt) + u8::from(m.command || m.ctrl)
        };
        bound.sort_by_key(|(_, shortcut)| std::cmp::Reverse(specificity(shortcut)));
        bound
    }

    /// Where the command belongs.
    #[must_use]
    pub fn section(self) -> Section {
        match self {
            UiCommand::Open
            | UiCommand::OpenCommented
            | UiCommand::OpenFolder
            | UiCommand::Save
            | UiCommand::SaveAs
            | UiCommand::SaveAll
            | UiCommand::NextDocument
            | UiCommand::PreviousDocument
            | UiCommand::Reload
            | UiCommand::RecoverUnsavedWork
            | UiCommand::ReplaceSourceText
            | UiCommand::Quit
            | UiCommand::Import(_)
            | UiCommand::Export(_)
            | UiCommand::CurateProjects
            | UiCommand::ShowAgreement => Section::File,
            UiCommand::Undo
            | UiCommand::Redo
            | UiCommand::Find
            | UiCommand::SearchCorpus
            | UiCommand::DeleteAnnotation
            | UiCommand::EditTagSet
            | UiCommand::BringTagSetInLine => Section::Edit,
            UiCommand::TagWithHotkey(_)
            | UiCommand::TagAllOccurrences
            | UiCommand::LinkTo
            | UiCommand::NextAnnotation
            | UiCommand::PreviousAnnotation
            | UiCommand::NextUntaggedSentence
            | UiCommand::PreviousUntaggedSentence
            | UiCommand::NextReview
            | UiCommand::NextDisagreement
            | UiCommand::PreviousDisagreement => Section::Annotate,
            UiCommand::Caret { .. } | UiCommand::Escape => Section::Caret,
            UiCommand::ToggleDocumentList
            | UiCommand::ToggleTagPalette
            | UiCommand::ToggleSidePanel
            | UiCommand::DocumentLabels
            | UiCommand::CorpusStatistics => Section::View,
            UiCommand::ShowShortcuts => Section::Help,
        }
    }

    /// The text in the menu (also the accessible label of the menu entry).
    #[must_use]
    pub fn menu_text(self) -> &'static str {
        match self {
            UiCommand::Open => "Open…",
            UiCommand::OpenCommented => "Open as commented article…",
            UiCommand::OpenFolder => "Open Folder…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save As…",
            UiCommand::SaveAll => "Save All",
            UiCommand::NextDocument => "Next document",
            UiCommand::PreviousDocument => "Previous document",
            UiCommand::BringTagSetInLine => "Bring tag set in line",
            UiCommand::ToggleDocumentList => "Document list",
            UiCommand::Reload => "Reload from disk",
            UiCommand::RecoverUnsavedWork => "Recover Unsaved Work…",
            UiCommand::ReplaceSourceText => "Replace Source Text…",
            UiCommand::NextReview => "Next annotation to review",
            UiCommand::Quit => "Quit",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::Find => "Find…",
            UiCommand::SearchCorpus => "Search Corpus…",
            UiCommand::DeleteAnnotation => "Delete annotation",
            UiCommand::EditTagSet => "Edit tag set…",
            UiCommand::TagWithHotkey(_) => "Tag with the palette's key",
            UiCommand::TagAllOccurrences => "Tag every other occurrence…",
            UiCommand::LinkTo => "Link to…",
            UiCommand::NextAnnotation => "Next annotation",
            UiCommand::PreviousAnnotation => "Previous annotation",
            UiCommand::NextUntaggedSentence => "Next untagged sentence",
            UiCommand::PreviousUntaggedSentence => "Previous untagged sentence",
            UiCommand::Caret { extend: false, .. } => "Move the caret",
            UiCommand::Caret { extend: true, .. } => "Extend the selection",
            UiCommand::Escape => "Close the find bar, or clear the selection",
            UiCommand::ToggleTagPalette => "Tag palette",
            UiCommand::ToggleSidePanel => "Selection and annotation list",
            UiCommand::DocumentLabels => "Document labels…",
            UiCommand::CorpusStatistics => "Corpus Statistics…",
            UiCommand::ShowShortcuts => "Keyboard Shortcuts",
            UiCommand::Import(name) => crate::formats::format_named(name).map_or(name, crate::formats::Format::title),
            UiCommand::Export(format) => format.title(),
            UiCommand::CurateProjects => "Curate Annotators' Projects…",
            UiCommand::NextDisagreement => "Next disagreement",
            UiCommand::PreviousDisagreement => "Previous disagreement",
            UiCommand::ShowAgreement => "Agreement Table…",
        }
    }

    /// What the command does, in a sentence.
    #[must_use]
    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::Open => "Open a project (.ron) or a text document; any file but .ron opens as plain text",
            UiCommand::OpenCommented => {
                "Open a commented article: its “Comment:” lines become counter-claims on the text before them"
            }
            UiCommand::OpenFolder => {
                "Open a folder of documents as one corpus: a list of its documents, one tag set for all of them"
            }
            UiCommand::Save => "Save the project (.ron)",
            UiCommand::SaveAs => "Save the project under a new name",
            UiCommand::SaveAll => "Save every document of the corpus that has unsaved changes",
            UiCommand::NextDocument => "Open the next document of the corpus list",
            UiCommand::PreviousDocument => "Open the previous document of the corpus list",
            UiCommand::BringTagSetInLine => {
                "Give this document the corpus tag set (tags the corpus lacks are taken off its annotations; undo brings them back)"
            }
            UiCommand::ToggleDocumentList => "Show or hide the list of the corpus's documents on the left",
            UiCommand::Reload => "Read the file again, dropping unsaved changes",
            UiCommand::RecoverUnsavedWork => {
                "List the unsaved work that windows left when they closed without saving, to recover or discard it"
            }
            UiCommand::ReplaceSourceText => {
                "Carry the annotations onto a corrected or updated version of the text; those that cannot be placed with proof are listed for review"
            }
            UiCommand::NextReview => "Go to the next annotation that re-anchoring could not place with proof",
            UiCommand::Quit => "Close the window",
            UiCommand::Undo => "Undo the last change",
            UiCommand::Redo => "Redo the last undone change (also Ctrl+Shift+Z)",
            UiCommand::Find => "Find text in the document",
            UiCommand::SearchCorpus => {
                "Find text (plain or a regular expression), a tag's spans or counter-claims in every document of the corpus, listed as a concordance"
            }
            UiCommand::DeleteAnnotation => "Remove the selected annotation with its tags, counter-claims and links",
            UiCommand::EditTagSet => "Add, rename, recolour, describe or delete tags",
            UiCommand::TagWithHotkey(_) => {
                "Tag the selection with the tag of that key in the palette; on a selected annotation that has it, remove it"
            }
            UiCommand::TagAllOccurrences => {
                "List every other place with the selected annotation's exact text, then give them all its tags in one undoable step"
            }
            UiCommand::LinkTo => {
                "Link the selected annotation to another: click the target's highlight, then pick the link type (Esc cancels)"
            }
            UiCommand::NextAnnotation => "Select the next annotation after the caret",
            UiCommand::PreviousAnnotation => "Select the annotation before the caret",
            UiCommand::NextUntaggedSentence => "Select the next sentence that no tag touches, ready for a tag key",
            UiCommand::PreviousUntaggedSentence => "Select the previous sentence that no tag touches",
            UiCommand::Caret { motion, .. } => motion.description(),
            UiCommand::Escape => "Close the find bar if it is open, else clear the selection",
            UiCommand::ToggleTagPalette => "Show or hide the tag palette on the left",
            UiCommand::ToggleSidePanel => "Show or hide the selection and annotation list on the right",
            UiCommand::DocumentLabels => {
                "Show or hide the labels of the whole document: its verdict, outlet, date, URL"
            }
            UiCommand::CorpusStatistics => {
                "How many spans of each tag the corpus holds, in how many documents, and per document: a chart and tables to copy or export as CSV"
            }
            UiCommand::ShowShortcuts => "List every keyboard shortcut",
            UiCommand::Import(_) => "Read a document and its annotations from this format into a new project",
            UiCommand::Export(_) => "Write the document and its annotations in this format; the project stays as it is",
            UiCommand::CurateProjects => {
                "Compare two or more annotators' projects of one text and settle their disagreements into a new, curated project"
            }
            UiCommand::NextDisagreement => {
                "While curating: show and select the next place where the annotators disagree"
            }
            UiCommand::PreviousDisagreement => "While curating: show and select the previous disagreement",
            UiCommand::ShowAgreement => {
                "While curating: the agreement figures of the annotators, per tag and overall, as `counterpoint agree` prints them"
            }
        }
    }

    /// The main keyboard shortcut.
    #[must_use]
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let command = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        let plain = |key| Some(KeyboardShortcut::new(Modifiers::NONE, key));
        match self {
            UiCommand::Open => command(Key::O),
            UiCommand::Save => command(Key::S),
            UiCommand::SaveAs => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)),
            UiCommand::Quit => command(Key::Q),
            UiCommand::Undo => command(Key::Z),
            UiCommand::Redo => command(Key::Y),
            UiCommand::Find => command(Key::F),
            UiCommand::SearchCorpus => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::F)),
            UiCommand::DeleteAnnotation => plain(Key::Delete),
            UiCommand::TagWithHotkey(digit) => Key::from_name(&digit.to_string()).and_then(plain),
            UiCommand::TagAllOccurrences => plain(Key::A),
            UiCommand::LinkTo => plain(Key::L),
            UiCommand::NextAnnotation => plain(Key::N),
            UiCommand::PreviousAnnotation => Some(KeyboardShortcut::new(Modifiers::SHIFT, Key::N)),
            UiCommand::NextUntaggedSentence => plain(Key::U),
            UiCommand::PreviousUntaggedSentence => Some(KeyboardShortcut::new(Modifiers::SHIFT, Key::U)),
            UiCommand::NextDisagreement => plain(Key::D),
            UiCommand::PreviousDisagreement => Some(KeyboardShortcut::new(Modifiers::SHIFT, Key::D)),
            UiCommand::Caret { motion, extend } => {
                let (modifiers, key) = motion.key();
                let modifiers = if extend {
                    modifiers | Modifiers::SHIFT
                } else {
                    modifiers
                };
                Some(KeyboardShortcut::new(modifiers, key))
            }
            UiCommand::Escape => plain(Key::Escape),
            UiCommand::SaveAll => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::ALT, Key::S)),
            UiCommand::NextDocument => command(Key::PageDown),
            UiCommand::PreviousDocument => command(Key::PageUp),
            UiCommand::ToggleTagPalette => command(Key::OpenBracket),
            UiCommand::ToggleSidePanel => command(Key::CloseBracket),
            UiCommand::ShowShortcuts => plain(Key::F1),
            UiCommand::NextReview => plain(Key::F8),
            UiCommand::OpenCommented
            | UiCommand::OpenFolder
            | UiCommand::BringTagSetInLine
            | UiCommand::ToggleDocumentList
            | UiCommand::Reload
            | UiCommand::RecoverUnsavedWork
            | UiCommand::ReplaceSourceText
            | UiCommand::EditTagSet
            | UiCommand::DocumentLabels
            | UiCommand::CorpusStatistics
            | UiCommand::Import(_)
            | UiCommand::Export(_)
            | UiCommand::CurateProjects
            | UiCommand::ShowAgreement => None,
        }
    }

    /// Another shortcut for the same command, following platform habits.
    #[must_use]
    pub fn alternative_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            UiCommand::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)),
            _ => None,
        }
    }

    /// Whether the shortcut should also fire while a text field has the keyboard.
    #[must_use]
    pub fn works_while_typing(self) -> bool {
        // Caret motions, tag keys and Escape belong to the field being typed in.
        matches!(
            self,
            UiCommand::Open
                | UiCommand::Save
                | UiCommand::SaveAs
                | UiCommand::SaveAll
                | UiCommand::NextDocument
                | UiCommand::PreviousDocument
                | UiCommand::Quit
                | UiCommand::Undo
                | UiCommand::Redo
                | UiCommand::Find
                | UiCommand::SearchCorpus
                | UiCommand::ToggleTagPalette
                | UiCommand::ToggleSidePanel
                | UiCommand::ShowShortcuts
        )
    }

    /// Draws the command as a menu entry; clicking it sends the command.
    pub fn menu_item_ui(self, ui: &mut egui::Ui, enabled: bool, actions: &mut Vec<Action>) {
        let mut button = egui::Button::new(self.menu_text());
        if let Some(shortcut) = self.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).on_hover_text(self.tooltip()).clicked() {
            actions.push(Action::Command(self));
        }
    }
}

/// A request from UI code, carried out in one place by the app.
#[derive(Clone, Debug)]
pub enum Action {
    Command(UiCommand),
    /// Open this file (asking first if there are unsaved changes).
    OpenPath(PathBuf, OpenAs),
    /// Save the project to this path (Save As).
    SaveTo(PathBuf),
    /// Import this file with the format of this name; for standoff formats,
    /// the annotation file (found beside the text, or asked for when `None`).
    Import {
        format: &'static str,
        file: PathBuf,
        annotations: Option<PathBuf>,
    },
    /// Export the project in this format to this path.
    ExportTo(ExportFormat, PathBuf),
    /// Tag the selection with this tag, or untag the selected annotation if it has it.
    ToggleTag(TagId),
    /// Apply an edit; select the annotation given afterwards.
    Edit {
        edit: Edit,
        group: Option<GroupKey>,
        select: Option<AnnotationId>,
    },
    /// End the current typing session (the next edit is a new undo step).
    CloseGroup,
    /// Select an annotation and scroll the text to it.
    Reveal(AnnotationId),
    /// Show document `index` of the open corpus, with `select` (bytes of its text) selected and scrolled to.
    OpenCorpusDocument {
        index: usize,
        select: Option<Range<ByteOffset>>,
    },
    /// A change of the corpus tag set (from the tag-set editor while a corpus
    /// is open): made in every document of the corpus.
    CorpusTagSetEdit {
        edit: Edit,
        group: Option<GroupKey>,
    },
    /// A typing session in the corpus tag-set editor ended: its change goes to the files.
    CorpusTagSetDone,
}
