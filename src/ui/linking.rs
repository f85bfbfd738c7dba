//! Making a link with the mouse: with an annotation selected, "Link to…"
//! (or L), then a click on the target highlight, then the type from a short
//! list or its digit key. Escape cancels at any point. The link is one
//! undoable edit ([`Edit::add_relation`], which checks the type's allowed ends).

use egui::{Align2, Key, RichText, vec2};

use crate::model::annotation::AnnotationId;
use crate::model::edit::Edit;
use crate::model::relations::RelationType;

use super::commands::Action;
use super::text_view::excerpt;
use super::theme;
use super::workspace::Workspace;

/// The title of the window that offers the link types (tests find it by this).
pub const TYPE_WINDOW_TITLE: &str = "Link type";

/// Where a link being made stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The source is chosen; the next click on a highlight picks the target.
    Target { from: AnnotationId },
    /// Both ends are chosen; the type is asked for.
    Type { from: AnnotationId, to: AnnotationId },
}

/// A link being made, if any: UI state, never part of the project.
#[derive(Default)]
pub struct Linker {
    stage: Option<Stage>,
}

impl Linker {
    /// Starts a link from `from`: the next click on a highlight picks the target.
    pub fn start(&mut self, from: AnnotationId) {
        self.stage = Some(Stage::Target { from });
    }

    /// Drops the link being made.
    pub fn cancel(&mut self) {
        self.stage = None;
    }

    /// Whether a link is being made.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.stage.is_some()
    }

    /// The source, while the target is being picked.
    #[must_use]
    pub fn awaiting_target(&self) -> Option<AnnotationId> {
        match self.stage {
            Some(Stage::Target { from }) => Some(from),
            _ => None,
        }
    }

    /// Takes `to` as the target (not the source itself); then the type is asked for.
    pub fn pick_target(&mut self, to: AnnotationId) {
        if let Some(Stage::Target { from }) = self.stage
            && from != to
        {
            self.stage = Some(Stage::Type { from, to });
        }
    }

    /// Whether the type is being asked for (the window is modal then: digit keys pick a type).
    #[must_use]
    pub fn is_choosing_type(&self) -> bool {
        matches!(self.stage, Some(Stage::Type { .. }))
    }

    /// Draws the hint while the target is picked, and the type window once it is.
    pub fn ui(&mut self, ctx: &egui::Context, workspace: &Workspace, area: egui::Rect, actions: &mut Vec<Action>) {
        let project = workspace.project();
        match self.stage {
            None => {}
            Some(Stage::Target { from }) if project.annotation(from).is_none() => self.stage = None,
            Some(Stage::Target { .. }) => {
                egui::Area::new(egui::Id::unique("link hint"))
                    .order(egui::Order::Foreground)
                    .anchor(Align2::CENTER_TOP, vec2(0.0, area.top() + 8.0))
                    .interactable(false)
                    .show(ctx, |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.label("Click the highlight to link to (Esc cancels).");
                        });
                    });
            }
            Some(Stage::Type { from, to }) => {
                let (Some(source), Some(target)) = (project.annotation(from), project.annotation(to)) else {
                    self.stage = None;
                    return;
                };
                let quote =
                    |span: crate::model::span::Span| excerpt(span.quote(project.text()).unwrap_or_default(), 40);
                let choices: Vec<(&RelationType, Result<Edit, String>)> = project
                    .tag_set()
                    .relation_types
                    .iter()
                    .map(|kind| {
                        let edit = Edit::add_relation(project, &kind.id, from, to)
                            .map(|(edit, _)| edit)
                            .map_err(|e| e.to_string());
                        (kind, edit)
                    })
                    .collect();
                let mut chosen = None;
                let mut cancelled = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape));
                for (kind, edit) in &choices {
                    if let (Some(digit), Ok(edit)) = (kind.hotkey, edit)
                        && let Some(key) = Key::from_name(&digit.to_string())
                        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key))
                    {
                        chosen = Some(edit.clone());
                    }
                }
                egui::Window::new(TYPE_WINDOW_TITLE)
                    .collapsible(false)
                    .resizable(false)
                    .anchor(Align2::CENTER_CENTER, vec2(0.0, 0.0))
                    .constrain_to(area)
                    .show(ctx, |ui| {
                        ui.label(format!("From “{}”", quote(source.span)));
                        ui.label(format!("to “{}”:", quote(target.span)));
                        ui.separator();
                        for (kind, edit) in &choices {
                            let key = kind.hotkey.map_or_else(String::new, |d| format!("{d}  "));
                            let text = RichText::new(format!("{key}{}", kind.name)).color(theme::tag_color(kind.color));
                            let button = ui.add_enabled(edit.is_ok(), egui::Button::new(text));
                            let button = match edit {
                                Ok(_) => button.on_hover_text(&kind.description),
                                Err(why) => button.on_disabled_hover_text(why),
                            };
                            if button.clicked()
                                && let Ok(edit) = edit
                            {
                                chosen = Some(edit.clone());
                            }
                        }
                        if choices.is_empty() {
                            ui.label(
                                RichText::new("The tag set has no link types: add some in Edit ▸ Edit tag set…").weak(),
                            );
                        }
                        ui.separator();
                        cancelled |= ui.button("Cancel").clicked();
                    });
                if let Some(edit) = chosen {
                    actions.push(Action::Edit {
                        edit,
                        group: None,
                        select: Some(from),
                    });
                    self.stage = None;
                } else if cancelled {
                    self.stage = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_goes_from_source_to_target_and_never_to_itself() {
        let mut linker = Linker::default();
        linker.pick_target(AnnotationId(2));
        assert!(!linker.is_active(), "no target without a source");
        linker.start(AnnotationId(1));
        assert_eq!(linker.awaiting_target(), Some(AnnotationId(1)));
        linker.pick_target(AnnotationId(1));
        assert!(!linker.is_choosing_type(), "not to itself");
        linker.pick_target(AnnotationId(2));
        assert!(linker.is_choosing_type() && linker.awaiting_target().is_none());
        linker.cancel();
        assert!(!linker.is_active());
    }
}
