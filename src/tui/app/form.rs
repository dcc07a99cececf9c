//! The event form: the fifteen cells of the events interchange format, one line each, checked
//! on every change by the import's own parsing and validation (`import::cells`), so that the
//! form accepts exactly what an import accepts and says so in the same words.

use crate::domain::{Catalog, Event};
use crate::domain::{FieldProblem, KnownIds};
use crate::export::csv::event_row;
use crate::import::cells::{check_cells, known_ids, Checked};
use crate::interchange::EVENT_COLUMNS;
use crate::tui::action::{Action, Edit, TextEdit};
use crate::tui::text_input::TextInput;

mod values;
use values::{ids_of, offered};

/// Field indices, in `EVENT_COLUMNS` order.
pub const ID: usize = 0;
pub const DATE: usize = 1;
pub const PROGRAMME: usize = 3;
pub const KIND: usize = 4;
pub const CHANNEL: usize = 5;
pub const VALENCE: usize = 6;
pub const VENUE: usize = 7;
pub const PARTIES: usize = 12;
pub const INSTITUTIONS: usize = 13;
pub const SOURCES: usize = 14;
/// The number of fields.
pub const FIELDS: usize = 15;

/// What the hint line says about each field: the cell grammar, as the import reads it.
const HELP: [&str; FIELDS] = [
    "required · letters, digits, '_', '.', '-' (e.g. ILRS-12) · cannot change once saved",
    "required · YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources are",
    "optional · YYYY, YYYY-MM or YYYY-MM-DD, not before the date",
    "required · a programme id · Ctrl-N/Ctrl-P cycle them",
    "required · the kind of act · Ctrl-N/Ctrl-P cycle the kinds",
    "required · a UN body takes part: un_multilateral; another organisation: multilateral; \
     a dyad: bilateral; one actor alone: national · Ctrl-N/Ctrl-P cycle",
    "optional · cooperation (default), refusal, withdrawal or obstacle · Ctrl-N/Ctrl-P cycle",
    "optional · the institution where it happened (e.g. COPUOS), apart from the channel",
    "optional · the id of the earlier event of the same instrument (e.g. ILRS-12); checked \
     against the stored events when saved",
    "required · one line",
    "optional · what happened, in a sentence or two",
    "optional · e.g. where the sources disagree",
    "ACTOR[:role[:claimed]] joined by ';', role partner if left out (e.g. CHN:signatory;RUS) · \
     Ctrl-N/Ctrl-P complete",
    "institution ids joined by ';' (e.g. OST) · Ctrl-N/Ctrl-P complete",
    "required · SOURCE[:locator] joined by ';' (e.g. li2023:p. 4) · Ctrl-N/Ctrl-P complete",
];

/// What the word under the caret is, for suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Programme,
    Kind,
    Channel,
    Valence,
    Actor,
    Role,
    Institution,
    Source,
}

impl Slot {
    /// What the hint line calls its values.
    fn label(self) -> &'static str {
        match self {
            Slot::Programme => "programmes",
            Slot::Kind => "kinds",
            Slot::Channel => "channels",
            Slot::Valence => "valences",
            Slot::Role => "roles",
            Slot::Actor => "actors",
            Slot::Institution => "institutions",
            Slot::Source => "sources",
        }
    }
}

/// A run of Ctrl-N/Ctrl-P: the word being replaced and the values it steps through.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cycle {
    field: usize,
    label: &'static str,
    from: usize,
    len: usize,
    candidates: Vec<String>,
    index: usize,
}

/// The values offered for the word at `from..to` (chars) of the focused field.
struct Suggestions {
    slot: Slot,
    from: usize,
    to: usize,
    /// (id, name) pairs, best first.
    values: Vec<(String, String)>,
}

/// What the hint line shows for the focused field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The field's grammar.
    pub help: &'static str,
    /// What the suggestions are ("kinds", "matching actors", …); empty when there are none.
    pub label: &'static str,
    /// (id, name) pairs, best first.
    pub items: Vec<(String, String)>,
    /// The item Ctrl-N/Ctrl-P put in the field last, if any.
    pub current: Option<usize>,
}

/// What an action in the form asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEffect {
    /// The form stays open.
    Stay,
    /// The form stays open, with a word for the status bar.
    Note(String),
    /// Esc on an unchanged form: it closes.
    Closed,
    /// Esc on a changed form: ask before discarding the changes.
    AskDiscard,
    /// A save the import refuses: the form stays, the message names the fields.
    Invalid(String),
    /// A save of an event as it was: the form closes.
    Unchanged,
    /// Insert (or, with `update`, update) `event`; the form waits for the answer.
    Save { event: Box<Event>, update: bool },
}

/// The form's state.
#[derive(Debug, Clone)]
pub struct Form {
    /// The event being edited; `None` for a new one.
    pub original: Option<Event>,
    initial: Vec<String>,
    pub inputs: Vec<TextInput>,
    /// The focused field.
    pub field: usize,
    touched: Vec<bool>,
    /// The import's verdict on the cells as they are now.
    pub checked: Checked,
    /// A save was sent and is awaited: input is held until it is answered.
    pub saving: bool,
    /// Why the database refused the last save.
    pub refusal: Option<String>,
    known: KnownIds,
    /// The catalog holds no sources (more than a browser holds): the database checks the
    /// source ids when the event is saved.
    sources_unheld: bool,
    cycle: Option<Cycle>,
}

impl Form {
    /// An empty form for a new event, with `programme` filled in when given.
    pub fn new(catalog: &Catalog, programme: Option<&str>) -> Form {
        let mut cells = vec![String::new(); FIELDS];
        if let Some(p) = programme {
            cells[PROGRAMME] = p.to_string();
        }
        Form::with(None, cells, catalog, ID)
    }

    /// A form on `event`, its id fixed.
    pub fn edit(event: &Event, catalog: &Catalog) -> Form {
        Form::with(
            Some(event.clone()),
            event_row(event).to_vec(),
            catalog,
            DATE,
        )
    }

    fn with(original: Option<Event>, cells: Vec<String>, catalog: &Catalog, field: usize) -> Form {
        let mut form = Form {
            original,
            inputs: cells.iter().map(|c| TextInput::new(c)).collect(),
            initial: cells,
            field,
            touched: vec![false; FIELDS],
            checked: Checked {
                event: None,
                problems: Vec::new(),
            },
            saving: false,
            refusal: None,
            known: known_ids(catalog),
            sources_unheld: catalog.sources_by_row(),
            cycle: None,
        };
        form.recheck();
        form
    }

    /// The cells as they are now.
    pub fn cells(&self) -> Vec<String> {
        self.inputs.iter().map(|i| i.text().to_string()).collect()
    }

    /// True when any field differs from how the form opened.
    pub fn changed(&self) -> bool {
        self.cells() != self.initial
    }

    /// Whether the user may type in `field` (the id of a stored event is fixed).
    pub fn editable(&self, field: usize) -> bool {
        field != ID || self.original.is_none()
    }

    /// The problems shown under `field`: those of fields already typed in or left, so that a
    /// new form does not open covered in "is required".
    pub fn problems_of(&self, field: usize) -> impl Iterator<Item = &FieldProblem> {
        let shown = self.touched[field];
        self.checked
            .problems
            .iter()
            .filter(move |p| shown && p.field == EVENT_COLUMNS[field])
    }

    /// Shows every field's problems (before a save).
    pub fn touch_all(&mut self) {
        self.touched = vec![true; FIELDS];
    }

    /// The first field with a problem.
    pub fn first_problem(&self) -> Option<usize> {
        let p = self.checked.problems.first()?;
        EVENT_COLUMNS.iter().position(|c| *c == p.field)
    }

    /// Moves the focus to the next (`forward`) or previous editable field, wrapping.
    pub fn step(&mut self, forward: bool) {
        self.touched[self.field] = true;
        self.cycle = None;
        let mut f = self.field;
        for _ in 0..FIELDS {
            f = if forward {
                (f + 1) % FIELDS
            } else {
                (f + FIELDS - 1) % FIELDS
            };
            if self.editable(f) {
                break;
            }
        }
        self.field = f;
        self.inputs[f].end();
    }

    /// Focuses `field` (after a refused save).
    pub fn focus(&mut self, field: usize) {
        if self.editable(field) {
            self.field = field;
            self.cycle = None;
            self.inputs[field].end();
        }
    }

    /// True when the focus is on the last field (Enter saves there).
    pub fn on_last_field(&self) -> bool {
        self.field == FIELDS - 1
    }

    /// Applies a text edit to the focused field and checks the cells again. Returns false
    /// when the field cannot be edited (moving the caret always can).
    pub fn edit_text(&mut self, edit: TextEdit) -> bool {
        if !edit.moves_only() && !self.editable(self.field) {
            return false;
        }
        self.cycle = None;
        if self.inputs[self.field].apply(edit) {
            self.touched[self.field] = true;
            self.recheck();
        }
        true
    }

    /// Applies `action`, and says what it asks of the app.
    pub fn update(&mut self, action: Action, catalog: &Catalog) -> FormEffect {
        if self.saving {
            return FormEffect::Note("saving…".into());
        }
        match action {
            Action::Text(edit) if !self.edit_text(edit) => {
                return FormEffect::Note(
                    "the id of a stored event cannot change; add a new event instead".into(),
                );
            }
            Action::Edit(Edit::NextField) => self.step(true),
            Action::Edit(Edit::PrevField) => self.step(false),
            Action::Edit(Edit::Accept) if !self.on_last_field() => self.step(true),
            Action::Edit(Edit::Accept | Edit::Save) => return self.save(),
            Action::Edit(Edit::Cancel) if self.changed() => return FormEffect::AskDiscard,
            Action::Edit(Edit::Cancel) => return FormEffect::Closed,
            Action::Edit(e @ (Edit::NextValue | Edit::PrevValue))
                if !self.cycle_value(e == Edit::NextValue, catalog) =>
            {
                return FormEffect::Note("no values to choose from in this field".into());
            }
            _ => {}
        }
        FormEffect::Stay
    }

    /// Ctrl-S, or Enter on the last field: refused while the import finds problems.
    fn save(&mut self) -> FormEffect {
        self.touch_all();
        let Some(event) = self.checked.event.clone() else {
            let n = self.checked.problems.len();
            let mut fields: Vec<&str> = Vec::new();
            for p in &self.checked.problems {
                if !fields.contains(&p.field.as_str()) {
                    fields.push(&p.field);
                }
            }
            let what = if n == 1 {
                "the problem".to_string()
            } else {
                format!("{n} problems")
            };
            let message = format!("not saved: fix {what} first ({})", fields.join(", "));
            if let Some(f) = self.first_problem() {
                self.focus(f);
            }
            return FormEffect::Invalid(message);
        };
        if self.original.as_ref() == Some(&event) {
            return FormEffect::Unchanged;
        }
        self.saving = true;
        self.refusal = None;
        FormEffect::Save {
            event: Box::new(event),
            update: self.original.is_some(),
        }
    }

    fn recheck(&mut self) {
        let cells = self.cells();
        if self.sources_unheld {
            // The catalog holds none: the ids typed are taken as known here, and checked by
            // the database when the event is saved.
            self.known.sources = ids_of(&cells[SOURCES]).into_iter().collect();
        }
        self.checked = check_cells(&cells, &self.known);
        self.refusal = None;
    }

    /// Adds the database's reasons for refusing a save (field problems it found that the
    /// form could not know, such as a reference deleted meanwhile).
    pub fn refused(&mut self, message: String, problems: Vec<FieldProblem>) {
        for p in problems {
            if !self.checked.problems.contains(&p) {
                self.checked.problems.push(p);
            }
        }
        self.touch_all();
        self.refusal = Some(message);
        self.saving = false;
    }

    /// The slot under the caret and the char range of its word.
    fn slot(&self) -> Option<(Slot, usize, usize)> {
        let input = &self.inputs[self.field];
        let chars: Vec<char> = input.text().chars().collect();
        let caret = input.caret();
        let whole = |slot| Some((slot, 0, chars.len()));
        let list = matches!(self.field, PARTIES | INSTITUTIONS | SOURCES);
        if !list {
            return match self.field {
                PROGRAMME => whole(Slot::Programme),
                KIND => whole(Slot::Kind),
                CHANNEL => whole(Slot::Channel),
                VALENCE => whole(Slot::Valence),
                VENUE => whole(Slot::Institution),
                _ => None,
            };
        }
        // The `;`-separated item around the caret, without its surrounding spaces.
        let mut start = caret;
        while start > 0 && chars[start - 1] != ';' {
            start -= 1;
        }
        let mut end = caret;
        while end < chars.len() && chars[end] != ';' {
            end += 1;
        }
        while start < end && chars[start].is_whitespace() {
            start += 1;
        }
        let colon = chars[start..end]
            .iter()
            .position(|c| *c == ':')
            .map(|i| start + i);
        let trim_end = |mut e: usize, s: usize| {
            while e > s && chars[e - 1].is_whitespace() {
                e -= 1;
            }
            e
        };
        match (self.field, colon) {
            (PARTIES, Some(c)) if caret > c => {
                let mut s = c + 1;
                while s < end && chars[s].is_whitespace() {
                    s += 1;
                }
                // The role ends where a `:claimed` begins.
                let stop = (s..end).find(|&i| chars[i] == ':').unwrap_or(end);
                Some((Slot::Role, s, trim_end(stop, s)))
            }
            (SOURCES, Some(c)) if caret > c => None, // a locator: free text
            (PARTIES, c) => Some((Slot::Actor, start, trim_end(c.unwrap_or(end), start))),
            (SOURCES, c) => Some((Slot::Source, start, trim_end(c.unwrap_or(end), start))),
            _ => Some((Slot::Institution, start, trim_end(end, start))),
        }
    }

    /// The ids already listed in the focused list field, but the one under the caret.
    fn listed_elsewhere(&self, from: usize, to: usize) -> Vec<String> {
        let text: Vec<char> = self.inputs[self.field].text().chars().collect();
        let before: String = text[..from].iter().collect();
        let after: String = text[to..].iter().collect();
        ids_of(&format!("{before};{after}"))
    }

    /// The suggestions for the word under the caret, and that word's range.
    fn suggestions(&self, catalog: &Catalog) -> Option<Suggestions> {
        let (slot, from, to) = self.slot()?;
        let typed: String = self.inputs[self.field]
            .text()
            .chars()
            .skip(from)
            .take(to - from)
            .collect();
        let taken = if matches!(slot, Slot::Actor | Slot::Institution | Slot::Source) {
            self.listed_elsewhere(from, to)
        } else {
            Vec::new()
        };
        let mut values = offered(slot, &typed, catalog);
        values.retain(|(id, _)| !taken.contains(id));
        // A complete value offers the whole list to step through, starting from that value so
        // that the hint first confirms what is typed.
        if values.iter().any(|(id, _)| *id == typed) {
            values = offered(slot, "", catalog);
            values.retain(|(id, _)| !taken.contains(id));
            if let Some(at) = values.iter().position(|(id, _)| *id == typed) {
                values.rotate_left(at);
            }
        }
        Some(Suggestions {
            slot,
            from,
            to,
            values,
        })
    }

    /// What the hint line shows for the focused field.
    pub fn hint(&self, catalog: &Catalog) -> Hint {
        let help = HELP[self.field];
        if let Some(c) = self.cycle.as_ref().filter(|c| c.field == self.field) {
            let items = c
                .candidates
                .iter()
                .map(|id| (id.clone(), String::new()))
                .collect();
            return Hint {
                help,
                label: c.label,
                items,
                current: Some(c.index),
            };
        }
        let Some(Suggestions {
            slot,
            values: items,
            ..
        }) = self.suggestions(catalog)
        else {
            return Hint {
                help,
                label: "",
                items: Vec::new(),
                current: None,
            };
        };
        Hint {
            help,
            label: slot.label(),
            items,
            current: None,
        }
    }

    /// Ctrl-N / Ctrl-P: puts the next (or previous) suggested value in place of the word under
    /// the caret. Returns false when the field has nothing to suggest.
    pub fn cycle_value(&mut self, forward: bool, catalog: &Catalog) -> bool {
        if !self.editable(self.field) {
            return false;
        }
        let cycle = match self.cycle.take().filter(|c| c.field == self.field) {
            Some(mut c) => {
                let n = c.candidates.len();
                c.index = if forward {
                    (c.index + 1) % n
                } else {
                    (c.index + n - 1) % n
                };
                c
            }
            None => {
                let Some(Suggestions {
                    slot,
                    from,
                    to,
                    values,
                }) = self.suggestions(catalog)
                else {
                    return false;
                };
                if values.is_empty() {
                    return false;
                }
                let typed: String = self.inputs[self.field]
                    .text()
                    .chars()
                    .skip(from)
                    .take(to - from)
                    .collect();
                let candidates: Vec<String> = values.into_iter().map(|(id, _)| id).collect();
                let n = candidates.len();
                // Start next to the value already there, if it is one.
                let index = match (candidates.iter().position(|c| *c == typed), forward) {
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                    (None, true) => 0,
                    (None, false) => n - 1,
                };
                Cycle {
                    field: self.field,
                    label: slot.label(),
                    from,
                    len: to - from,
                    candidates,
                    index,
                }
            }
        };
        let value = cycle.candidates[cycle.index].clone();
        self.inputs[self.field].splice(cycle.from, cycle.from + cycle.len, &value);
        self.touched[self.field] = true;
        self.recheck();
        self.cycle = Some(Cycle {
            len: value.chars().count(),
            ..cycle
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::tests::mini_dataset;

    fn catalog() -> Catalog {
        let mut db = crate::db::Db::open_in_memory().unwrap();
        db.insert_dataset(&mini_dataset()).unwrap();
        db.catalog().unwrap()
    }

    fn type_in(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.edit_text(TextEdit::Input(c));
        }
    }

    #[test]
    fn a_new_form_shows_no_problem_until_a_field_is_left() {
        let cat = catalog();
        let mut f = Form::new(&cat, Some("ILRS"));
        assert!(!f.checked.problems.is_empty());
        assert_eq!(f.problems_of(ID).count(), 0);
        f.step(true);
        assert_eq!(f.field, DATE);
        let shown: Vec<String> = f.problems_of(ID).map(|p| p.message.clone()).collect();
        assert_eq!(shown, ["is required"]);
        assert!(!f.changed());
        type_in(&mut f, "2021-02-30");
        let shown: Vec<String> = f.problems_of(DATE).map(|p| p.message.clone()).collect();
        assert_eq!(shown, ["'2021-02-30' is not a real calendar date"]);
        assert!(f.changed());
    }

    #[test]
    fn the_id_of_a_stored_event_is_skipped_and_fixed() {
        let cat = catalog();
        let e = mini_dataset().events[0].clone();
        let mut f = Form::edit(&e, &cat);
        assert_eq!(f.field, DATE);
        assert!(f.checked.problems.is_empty(), "{:?}", f.checked.problems);
        assert_eq!(f.checked.event.as_ref(), Some(&e));
        f.step(false);
        assert_eq!(f.field, SOURCES, "the id is skipped");
        f.field = ID;
        assert!(!f.edit_text(TextEdit::Input('x')));
    }

    #[test]
    fn ctrl_n_cycles_vocabularies_and_completes_ids() {
        let cat = catalog();
        let mut f = Form::new(&cat, None);
        f.field = KIND;
        assert!(f.cycle_value(true, &cat));
        assert_eq!(f.inputs[KIND].text(), "mou");
        assert!(f.cycle_value(true, &cat));
        assert_eq!(f.inputs[KIND].text(), "joint_statement");
        assert!(f.cycle_value(false, &cat));
        assert_eq!(f.inputs[KIND].text(), "mou");

        f.field = PARTIES;
        type_in(&mut f, "CHN:signatory; ros");
        let hint = f.hint(&cat);
        assert_eq!(hint.label, "actors");
        assert_eq!(hint.items[0].0, "ROSCOSMOS");
        assert!(f.cycle_value(true, &cat));
        assert_eq!(f.inputs[PARTIES].text(), "CHN:signatory; ROSCOSMOS");
        type_in(&mut f, ":sig");
        let hint = f.hint(&cat);
        assert_eq!(
            (hint.label, hint.items[0].0.as_str()),
            ("roles", "signatory")
        );
        assert!(f.cycle_value(true, &cat));
        assert_eq!(
            f.inputs[PARTIES].text(),
            "CHN:signatory; ROSCOSMOS:signatory"
        );

        f.field = SOURCES;
        type_in(&mut f, "gov");
        assert_eq!(f.hint(&cat).items[0].0, "govcn2021");
        f.field = DATE;
        assert!(!f.cycle_value(true, &cat));
    }

    #[test]
    fn names_find_ids_and_listed_ids_are_not_offered_again() {
        let cat = catalog();
        let mut f = Form::new(&cat, None);
        f.field = PARTIES;
        type_in(&mut f, "CHN;china");
        let ids: Vec<String> = f.hint(&cat).items.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["CMSA", "CNSA"]);
    }
}
