//! The conflicts a merge left, listed above the text as "to resolve": each
//! with its description and one button per choice (base, ours, theirs, both
//! spans). A choice is one undoable edit that settles the conflict and drops
//! it from the list.

use egui::{RichText, Ui};

use crate::messages::printable;
use crate::model::conflict::{self, Conflict};
use crate::model::project::Project;
use crate::ui::commands::Action;
use crate::ui::theme;

/// At most this many conflicts are listed at once; the rest follow as these are resolved.
const SHOWN: usize = 5;

/// Lists the project's conflicts with their choices; a click pushes the edit that resolves one.
pub fn conflicts_ui(ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
    let conflicts = project.conflicts();
    egui::Frame::new()
        .fill(theme::NOTICE_FILL)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let more = conflicts.len().saturating_sub(SHOWN);
            let heading = format!(
                "{} to resolve from a merge{}",
                plural(conflicts.len()),
                if more > 0 {
                    format!(" (the first {SHOWN} shown)")
                } else {
                    String::new()
                }
            );
            ui.label(RichText::new(heading).color(theme::ERROR_TEXT).strong());
            for (index, conflict) in conflicts.iter().enumerate().take(SHOWN) {
                ui.horizontal_wrapped(|ui| {
                    for choice in conflict::choices(conflict) {
                        let hover = hover_text(conflict, choice);
                        if ui.button(choice.label()).on_hover_text(hover).clicked()
                            && let Some(edit) = conflict::resolution(project, index, choice)
                        {
                            let select = match conflict {
                                Conflict::Annotation { uid, .. } => project.annotation_by_uid(*uid).map(|a| a.id),
                                Conflict::Tag { .. } => None,
                            };
                            actions.push(Action::Edit {
                                edit,
                                group: None,
                                select,
                            });
                        }
                    }
                    if let Conflict::Annotation { uid, .. } = conflict
                        && let Some(annotation) = project.annotation_by_uid(*uid)
                        && ui
                            .button("Show")
                            .on_hover_text("Select the annotation and scroll the text to it")
                            .clicked()
                    {
                        actions.push(Action::Reveal(annotation.id));
                    }
                    let description = printable(&conflict.describe()).to_string();
                    ui.label(RichText::new(description).color(theme::ERROR_TEXT));
                });
            }
        });
}

fn plural(count: usize) -> String {
    if count == 1 {
        "1 conflict".to_owned()
    } else {
        format!("{count} conflicts")
    }
}

fn hover_text(conflict: &Conflict, choice: conflict::Choice) -> String {
    use conflict::Choice;
    let what = match conflict {
        Conflict::Annotation { .. } => "annotation",
        Conflict::Tag { .. } => "tag",
    };
    match choice {
        Choice::Base => format!("Keep the {what} as it was before either change"),
        Choice::Ours => format!("Keep our version of the {what}"),
        Choice::Theirs => format!("Take their version of the {what}"),
        Choice::Both => "Keep our annotation and add theirs beside it, on its own span".to_owned(),
    }
}
