//! Commands for annotating from the keyboard: tag keys, moving from
//! annotation to annotation and to untagged sentences, tagging every other
//! occurrence, Escape, the panels and the shortcut sheet.

use super::CounterpointApp;
use crate::model::span::Span;
use crate::ui::commands::UiCommand;
use crate::ui::dialogs::Banner;
use crate::ui::navigation::{neighbour_annotation, untagged_sentence};
use crate::ui::selection::TextSelection;
use crate::ui::text_view::ViewSelection;

impl CounterpointApp {
    /// Carries out one of the commands this file is about; false for any other.
    pub(super) fn execute_annotation_command(&mut self, command: UiCommand) -> bool {
        match command {
            UiCommand::TagWithHotkey(digit) => {
                let tag_set = match (&self.corpus, &self.workspace) {
                    (Some(session), _) => Some(session.tag_set()),
                    (None, workspace) => workspace.as_ref().map(|w| w.project().tag_set()),
                };
                let tag = tag_set.and_then(|set| set.by_hotkey(digit)).map(|tag| tag.id.clone());
                if let Some(tag) = tag {
                    self.toggle_tag(tag);
                }
            }
            UiCommand::NextAnnotation | UiCommand::PreviousAnnotation => {
                self.step_annotation(command == UiCommand::NextAnnotation);
            }
            UiCommand::NextUntaggedSentence | UiCommand::PreviousUntaggedSentence => {
                self.step_untagged(command == UiCommand::NextUntaggedSentence);
            }
            UiCommand::TagAllOccurrences => self.offer_occurrences(),
            UiCommand::LinkTo => match self.selection.annotation {
                Some(id) => self.linker.start(id),
                None => {
                    self.banner = Some(Banner::Notice(
                        "Select the annotation to link from first (click its highlight), then Link to… (L).".into(),
                    ));
                }
            },
            UiCommand::Escape => {
                if self.linker.is_active() {
                    self.linker.cancel();
                } else if self.find_bar.is_open() {
                    self.find_bar.close();
                } else {
                    self.selection = ViewSelection::default();
                }
            }
            UiCommand::Caret { motion, extend } => self.text_view.queue_motion(motion, extend),
            UiCommand::ToggleTagPalette | UiCommand::ToggleSidePanel | UiCommand::ToggleDocumentList => {
                self.toggle_panel(command);
            }
            UiCommand::ShowShortcuts => self.shortcut_sheet.toggle(),
            _ => return false,
        }
        true
    }

    fn caret_span(&self) -> Span {
        self.selection.text.map_or(Span::new(0, 0), TextSelection::span)
    }

    fn step_annotation(&mut self, forward: bool) {
        let Some(workspace) = &self.workspace else { return };
        let current = self
            .selection
            .annotation
            .and_then(|id| workspace.project().annotation(id))
            .map(|a| (a.id, a.span));
        let caret = self
            .selection
            .text
            .map_or(crate::model::offsets::ByteOffset(0), |s| s.head);
        if let Some((id, span)) = neighbour_annotation(workspace, current, caret, forward) {
            self.selection.select_annotation(id, span);
            self.text_view.scroll_to(span.start);
        }
    }

    fn step_untagged(&mut self, forward: bool) {
        let Some(workspace) = &self.workspace else { return };
        if let Some(sentence) = untagged_sentence(workspace, self.caret_span(), forward) {
            self.selection = ViewSelection {
                text: Some(TextSelection::of_span(sentence)),
                annotation: None,
            };
            self.text_view.scroll_to(sentence.start);
        } else {
            let which = if forward { "after" } else { "before" };
            self.banner = Some(Banner::Notice(format!(
                "Every sentence {which} the selection has a tag."
            )));
        }
    }

    fn offer_occurrences(&mut self) {
        let Some(workspace) = &self.workspace else { return };
        let Some(id) = self.selection.annotation else {
            self.banner = Some(Banner::Notice(
                "Select a tagged annotation first (click it, or press N), then press A.".into(),
            ));
            return;
        };
        if let Err(why) = self.occurrences.offer(workspace, id) {
            self.banner = Some(Banner::Notice(why));
        }
    }
}
