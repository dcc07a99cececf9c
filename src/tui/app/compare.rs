//! The Compare view's and the formula overlay's state, and what actions do to them: the pair
//! of programmes, their scroll positions, and the `spacedip compare …` command to copy.

use super::App;
use crate::domain::{Catalog, Filter};
use crate::tui::action::Action;
use crate::tui::cards::programme_order;
use crate::tui::compare::{filter_for, CompareData};
use crate::tui::input::Mode;
use crate::tui::layout::{Drawn, View};

/// The pair compared, the worker's data for every programme, and where the Compare view and
/// the formula overlay are scrolled to.
#[derive(Debug, Clone, Default)]
pub struct CompareState {
    /// The programme on the left (first) and on the right (second).
    pub left: String,
    pub right: String,
    /// Every programme on one year axis, from the last answer.
    pub data: CompareData,
    /// The first line of the Compare view drawn.
    pub scroll: usize,
    /// Whether the formula overlay is open, and its first line drawn.
    pub formulas: bool,
    pub formula_scroll: usize,
    /// The programme whose density's institutions are listed (the overlay is open), and the
    /// list's first line drawn.
    pub institutions: Option<String>,
    pub institution_scroll: usize,
    /// The programmes in the order the pair keys step through.
    order: Vec<String>,
}

impl CompareState {
    /// CSS on the left and ILRS on the right, the article's comparison; the catalog's first
    /// programmes when it lacks them.
    pub fn new(catalog: &Catalog) -> CompareState {
        let order = programme_order(catalog);
        let pick = |i: usize| order.get(i).cloned().unwrap_or_default();
        CompareState {
            left: pick(0),
            right: pick(1),
            order,
            ..CompareState::default()
        }
    }
}

/// Where an action reaches the Compare state: what has the keyboard, the view, the programme
/// of the selected card, and what the last frame drew.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub mode: Mode,
    pub view: View,
    pub card: Option<&'a str>,
    pub drawn: Drawn,
}

/// What an action did to the Compare state, and what it asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Not an action of the Compare view or its overlays: the app applies it.
    Unhandled,
    /// Applied.
    Done,
    /// Applied, with a word for the status bar.
    Status(String),
    /// Esc in the Compare view: back to the events.
    Back,
    /// `C`: copy the `spacedip compare …` command.
    CopyCommand,
}

impl CompareState {
    /// Applies `action` if it is the Compare view's or an overlay's, or a shared verb
    /// (movement, Esc, the wheel, copy) while one of them has the keyboard.
    pub fn update(&mut self, action: Action, at: Context<'_>) -> Effect {
        match action {
            Action::ToggleFormulas => {
                self.formulas = !self.formulas;
                self.formula_scroll = 0;
                Effect::Done
            }
            Action::ToggleInstitutions => {
                self.institution_scroll = 0;
                self.institutions = match (&self.institutions, at.view) {
                    (Some(_), _) => None,
                    (None, View::Compare) => Some(self.left.clone()),
                    (None, _) => at.card.map(str::to_string),
                };
                Effect::Done
            }
            Action::PairLeftPrev => self.step_side(false, -1),
            Action::PairLeftNext => self.step_side(false, 1),
            Action::PairRightPrev => self.step_side(true, -1),
            Action::PairRightNext => self.step_side(true, 1),
            Action::PairSwap => {
                std::mem::swap(&mut self.left, &mut self.right);
                Effect::Status(format!("compare: {} with {}", self.left, self.right))
            }
            _ => match at.mode {
                Mode::Formulas => {
                    let extent = at.drawn.formulas.unwrap_or_default();
                    match movement(action, extent.page) {
                        Some(delta) => {
                            self.formula_scroll = shift(self.formula_scroll, delta, extent.max)
                        }
                        None if matches!(action, Action::Back | Action::Click(..)) => {
                            self.formulas = false
                        }
                        None => return Effect::Unhandled,
                    }
                    Effect::Done
                }
                Mode::Institutions => {
                    let extent = at.drawn.institutions.unwrap_or_default();
                    match movement(action, extent.page) {
                        Some(delta) => {
                            self.institution_scroll =
                                shift(self.institution_scroll, delta, extent.max);
                        }
                        None if matches!(action, Action::Back | Action::Click(..)) => {
                            self.institutions = None
                        }
                        None => return Effect::Unhandled,
                    }
                    Effect::Done
                }
                Mode::Compare => {
                    let extent = at.drawn.compare.unwrap_or_default();
                    match (movement(action, extent.page), action) {
                        (Some(delta), _) => {
                            self.scroll = shift(self.scroll, delta, extent.max);
                            Effect::Done
                        }
                        (None, Action::Back) => Effect::Back,
                        (None, Action::CopyCommand) => Effect::CopyCommand,
                        _ => Effect::Unhandled,
                    }
                }
                _ => Effect::Unhandled,
            },
        }
    }

    /// Moves the left (or right) programme through the order, skipping the other side's.
    fn step_side(&mut self, right: bool, delta: isize) -> Effect {
        let (mine, other) = if right {
            (&self.right, &self.left)
        } else {
            (&self.left, &self.right)
        };
        let choices: Vec<&String> = self.order.iter().filter(|p| *p != other).collect();
        if choices.len() < 2 {
            return Effect::Status("compare: the catalog has no other programme".into());
        }
        let n = choices.len() as isize;
        let here = choices.iter().position(|p| *p == mine).unwrap_or(0) as isize;
        let next = choices[(here + delta).rem_euclid(n) as usize].clone();
        let side = if right { "right" } else { "left" };
        let status = format!("compare: {next} on the {side}");
        if right {
            self.right = next;
        } else {
            self.left = next;
        }
        Effect::Status(status)
    }
}

impl App {
    /// Hands `action` to the Compare state; returns whether it took it.
    pub(super) fn update_compare(&mut self, action: Action) -> bool {
        let at = Context {
            mode: self.mode(),
            view: self.view,
            card: self.cards.get(self.card).map(|c| c.id.as_str()),
            drawn: self.drawn,
        };
        match self.compare.update(action, at) {
            Effect::Unhandled => return false,
            Effect::Done => {}
            Effect::Status(text) => self.set_status(text),
            Effect::Back => self.view = View::Events,
            Effect::CopyCommand => {
                let command = self.compare_command();
                self.copy_text(command, "the compare command");
            }
        }
        true
    }

    /// `spacedip compare LEFT RIGHT` with the filter the view applies, in the CLI's flags.
    pub fn compare_command(&self) -> String {
        // Sorting does not change a measure; leave it out.
        let filter = Filter {
            sort: Filter::default().sort,
            order: Filter::default().order,
            ..filter_for(&self.filter)
        };
        let c = &self.compare;
        format!(
            "{} compare {} {} {}",
            self.program,
            c.left,
            c.right,
            filter.to_args()
        )
        .trim_end()
        .to_string()
    }

    /// Puts `text` on the clipboard (OSC 52, by the loop), keeps it to print on exit.
    fn copy_text(&mut self, text: String, what: &str) {
        let text = crate::text::inert(&text);
        self.clipboard = Some(text.clone());
        self.last_copied = Some(text);
        self.set_status(format!("copied {what}; printed again on quit"));
    }
}

/// The lines a movement verb asks for, for a view `page` lines high.
fn movement(action: Action, page: usize) -> Option<isize> {
    let page = page.max(1) as isize;
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::ScrollUp(..) => -3,
        Action::ScrollDown(..) => 3,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

/// `base + delta`, clamped to `0..=max`.
fn shift(base: usize, delta: isize, max: usize) -> usize {
    base.min(max).saturating_add_signed(delta).min(max)
}
