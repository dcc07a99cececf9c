//! The Compare view's and the formula overlay's state, and what actions do to them: the pair
//! of programmes, their scroll positions, and the `spacedip compare …` command to copy.

use super::App;
use crate::domain::{Catalog, Filter};
use crate::tui::action::Action;
use crate::tui::cards::FEATURED;
use crate::tui::compare::{filter_for, CompareData};
use crate::tui::input::Mode;
use crate::tui::layout::View;

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
}

impl CompareState {
    /// CSS on the left and ILRS on the right, the article's comparison; the catalog's first
    /// programmes when it lacks them.
    pub fn new(catalog: &Catalog) -> CompareState {
        let order = order(catalog);
        let pick = |i: usize| order.get(i).cloned().unwrap_or_default();
        CompareState {
            left: pick(0),
            right: pick(1),
            ..CompareState::default()
        }
    }
}

/// The programmes in the order the pair keys step through: the featured ones, then the
/// catalog's order.
fn order(catalog: &Catalog) -> Vec<String> {
    let mut order: Vec<String> = FEATURED
        .iter()
        .filter(|f| catalog.programme(f).is_some())
        .map(|f| f.to_string())
        .collect();
    for p in &catalog.programmes {
        if !order.contains(&p.id) {
            order.push(p.id.clone());
        }
    }
    order
}

impl App {
    /// Handles `action` if it is one of the Compare view's or the formula overlay's, or a
    /// shared verb (movement, Esc, the wheel, copy) while one of them has the keyboard.
    /// Returns whether it did; `update` applies everything else.
    pub(super) fn update_compare(&mut self, action: Action) -> bool {
        match action {
            Action::ToggleFormulas => {
                self.compare.formulas = !self.compare.formulas;
                self.compare.formula_scroll = 0;
                return true;
            }
            Action::ToggleInstitutions => {
                let c = &mut self.compare;
                c.institution_scroll = 0;
                c.institutions = match (&c.institutions, self.view) {
                    (Some(_), _) => None,
                    (None, View::Compare) => Some(c.left.clone()),
                    (None, _) => self.cards.get(self.card).map(|card| card.id.clone()),
                };
                return true;
            }
            Action::PairLeftPrev => self.step_side(false, -1),
            Action::PairLeftNext => self.step_side(false, 1),
            Action::PairRightPrev => self.step_side(true, -1),
            Action::PairRightNext => self.step_side(true, 1),
            Action::PairSwap => {
                let c = &mut self.compare;
                std::mem::swap(&mut c.left, &mut c.right);
                let text = format!("compare: {} with {}", c.left, c.right);
                self.set_status(text);
            }
            _ => {
                return match self.mode() {
                    Mode::Formulas => self.formulas_verb(action),
                    Mode::Institutions => self.institutions_verb(action),
                    Mode::Compare => self.compare_verb(action),
                    _ => false,
                }
            }
        }
        true
    }

    fn formulas_verb(&mut self, action: Action) -> bool {
        let extent = self.drawn.formulas.unwrap_or_default();
        let scroll = &mut self.compare.formula_scroll;
        match movement(action, extent.page) {
            Some(delta) => *scroll = shift(*scroll, delta, extent.max),
            None => match action {
                Action::Back | Action::Click(..) => self.compare.formulas = false,
                _ => return false,
            },
        }
        true
    }

    fn institutions_verb(&mut self, action: Action) -> bool {
        let extent = self.drawn.institutions.unwrap_or_default();
        let scroll = &mut self.compare.institution_scroll;
        match movement(action, extent.page) {
            Some(delta) => *scroll = shift(*scroll, delta, extent.max),
            None => match action {
                Action::Back | Action::Click(..) => self.compare.institutions = None,
                _ => return false,
            },
        }
        true
    }

    fn compare_verb(&mut self, action: Action) -> bool {
        let extent = self.drawn.compare.unwrap_or_default();
        match movement(action, extent.page) {
            Some(delta) => self.compare.scroll = shift(self.compare.scroll, delta, extent.max),
            None => match action {
                Action::Back => self.view = View::Events,
                Action::CopyCommand => {
                    let command = self.compare_command();
                    self.copy_text(command, "the compare command");
                }
                _ => return false,
            },
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

    /// Moves the left (or right) programme through the order, skipping the other side's.
    fn step_side(&mut self, right: bool, delta: isize) {
        let order = order(&self.catalog);
        let (mine, other) = if right {
            (&self.compare.right, &self.compare.left)
        } else {
            (&self.compare.left, &self.compare.right)
        };
        let choices: Vec<&String> = order.iter().filter(|p| *p != other).collect();
        if choices.len() < 2 {
            self.set_status("compare: the catalog has no other programme");
            return;
        }
        let n = choices.len() as isize;
        let here = choices.iter().position(|p| *p == mine).unwrap_or(0) as isize;
        let next = choices[(here + delta).rem_euclid(n) as usize].clone();
        let side = if right { "right" } else { "left" };
        self.set_status(format!("compare: {next} on the {side}"));
        if right {
            self.compare.right = next;
        } else {
            self.compare.left = next;
        }
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
