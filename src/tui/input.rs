//! Keys and mouse to actions: one key table, read both by `map_key` (a pure function) and by
//! the help overlay, so that the help always lists exactly the keys that work.

use std::fmt;

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, Edit, TextEdit};

/// What has the keyboard: decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The events table.
    Browse,
    /// Typing in the search box.
    Search,
    /// The facet panel.
    Facets,
    /// The detail pane.
    Detail,
    /// The programme cards.
    Programmes,
    /// The help overlay.
    Help,
    /// The export dialog, choosing the format.
    ExportFormat,
    /// The export dialog, typing the file name.
    ExportPath,
    /// The export dialog, asking whether to replace an existing file.
    ExportConfirm,
    /// The export dialog while the file is written.
    ExportBusy,
    /// The event form (new or edit).
    Form,
    /// A yes/no question.
    Confirm,
    /// Typing the name of a view to save.
    Prompt,
    /// The list of saved views.
    Picker,
    /// The column chooser.
    Columns,
    /// The Compare view.
    Compare,
    /// The formula overlay.
    Formulas,
    /// The institutions behind a programme's density.
    Institutions,
}

impl Mode {
    /// The title of the help overlay for this mode.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Browse => "Events table",
            Mode::Search => "Search box",
            Mode::Facets => "Facet panel",
            Mode::Detail => "Event detail",
            Mode::Programmes => "Programme cards",
            Mode::Help => "Help",
            Mode::ExportFormat | Mode::ExportPath => "Export dialog",
            Mode::ExportConfirm => "Export: replace the file?",
            Mode::ExportBusy => "Export: writing",
            Mode::Form => "Event form",
            Mode::Confirm => "Question",
            Mode::Prompt => "Save view",
            Mode::Picker => "Saved views",
            Mode::Columns => "Table columns",
            Mode::Compare => "Compare view",
            Mode::Formulas => "Formulas",
            Mode::Institutions => "Institutions behind the density",
        }
    }
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed without Ctrl or Alt (Shift is part of the character).
    Char(char),
    /// Ctrl and a letter.
    Ctrl(char),
    /// A named key without modifiers.
    Code(KeyCode),
    /// Any character typed without Ctrl or Alt.
    AnyChar,
}

impl Key {
    fn matches(self, k: &KeyEvent) -> bool {
        let plain = !k
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self, k.code) {
            (Key::Char(c), KeyCode::Char(t)) => plain && c == t,
            (Key::Ctrl(c), KeyCode::Char(t)) => {
                k.modifiers.contains(KeyModifiers::CONTROL) && c == t.to_ascii_lowercase()
            }
            (Key::AnyChar, KeyCode::Char(_)) => plain,
            (Key::Code(code), got) => plain && code == got,
            _ => false,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{c}"),
            Key::AnyChar => f.write_str("text"),
            Key::Code(code) => f.write_str(match code {
                KeyCode::Up => "↑",
                KeyCode::Down => "↓",
                KeyCode::Left => "←",
                KeyCode::Right => "→",
                KeyCode::PageUp => "PgUp",
                KeyCode::PageDown => "PgDn",
                KeyCode::Home => "Home",
                KeyCode::End => "End",
                KeyCode::Enter => "Enter",
                KeyCode::Esc => "Esc",
                KeyCode::Tab => "Tab",
                KeyCode::Backspace => "Backspace",
                KeyCode::BackTab => "Shift-Tab",
                KeyCode::Delete => "Del",
                KeyCode::F(n) => return write!(f, "F{n}"),
                _ => "?",
            }),
        }
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where the binding applies.
    pub modes: &'static [Mode],
    /// The keys, any of which triggers it.
    pub keys: &'static [Key],
    /// What it does (`SearchInput` carries the typed character instead of this one).
    pub action: Action,
    /// The help text.
    pub help: &'static str,
}

impl Binding {
    /// The keys as the help shows them: `j/↓`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

use KeyCode as K;
use Mode::{Browse, Confirm, Detail, Facets, Form, Help, Picker, Programmes, Prompt, Search};
use Mode::{Columns, Compare, Formulas, Institutions};
use Mode::{ExportBusy, ExportConfirm, ExportFormat, ExportPath};

const NOT_TYPING: &[Mode] = &[Browse, Facets, Detail, Programmes, Help];
const VIEWS: &[Mode] = &[Browse, Facets, Detail, Programmes];
const FILTERING: &[Mode] = &[Browse, Facets, Programmes];
const EXPORT_EDIT: &[Mode] = &[ExportFormat, ExportPath];
const EXPORT_ALL: &[Mode] = &[ExportFormat, ExportPath, ExportConfirm, ExportBusy];
/// Where keys type into a line of text.
const TYPING: &[Mode] = &[Search, ExportPath, Form, Prompt];
/// The binding of any printable key while typing (`map_key` puts the key's character in).
const TYPE: Action = Action::Text(TextEdit::Input(' '));

const fn b(
    modes: &'static [Mode],
    keys: &'static [Key],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        modes,
        keys,
        action,
        help,
    }
}

/// Every key spacedip knows, in the order the help lists them. The first binding that
/// matches wins.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // The help overlay.
    b(&[Help], &[Key::Char('?'), Key::Code(K::Esc), Key::Code(K::F(1))], Action::ToggleHelp, "close the help"),
    // The search box: typing goes to the search, so only named keys act.
    b(&[Search], &[Key::Code(K::Enter)], Action::SearchKeep, "keep the search"),
    b(&[Search], &[Key::Code(K::Esc)], Action::SearchCancel, "clear the search"),
    b(&[Search], &[Key::Code(K::Down)], Action::Down, "next event"),
    b(&[Search], &[Key::Code(K::Up)], Action::Up, "previous event"),
    b(&[Search], &[Key::AnyChar], TYPE, "type to search; scopes: partner: source: kind: title: notes:"),
    // Typing: one editor, the same keys in the search box, the export's file name, the event
    // form and the view-name prompt.
    b(TYPING, &[Key::Code(K::Backspace)], Action::Text(TextEdit::Backspace), "delete a character"),
    b(TYPING, &[Key::Code(K::Delete)], Action::Text(TextEdit::Delete), "delete under the caret"),
    b(TYPING, &[Key::Ctrl('w')], Action::Text(TextEdit::DeleteWord), "delete a word"),
    b(TYPING, &[Key::Ctrl('u')], Action::Text(TextEdit::Clear), "empty the line"),
    b(TYPING, &[Key::Code(K::Left)], Action::Text(TextEdit::Left), "caret left"),
    b(TYPING, &[Key::Code(K::Right)], Action::Text(TextEdit::Right), "caret right"),
    b(TYPING, &[Key::Code(K::Home), Key::Ctrl('a')], Action::Text(TextEdit::Home), "start of the line"),
    b(TYPING, &[Key::Code(K::End), Key::Ctrl('e')], Action::Text(TextEdit::End), "end of the line"),
    // Moving.
    b(&[Browse], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "next event"),
    b(&[Browse], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "previous event"),
    b(&[Facets], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "next value"),
    b(&[Facets], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "previous value"),
    b(&[Detail], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "scroll down"),
    b(&[Detail], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "scroll up"),
    b(&[Programmes], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "card below"),
    b(&[Programmes], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "card above"),
    b(&[Programmes], &[Key::Char('h'), Key::Code(K::Left)], Action::Left, "card to the left"),
    b(&[Programmes], &[Key::Char('l'), Key::Code(K::Right)], Action::Right, "card to the right"),
    b(&[Facets], &[Key::Char('h'), Key::Code(K::Left)], Action::Left, "previous field"),
    b(&[Facets], &[Key::Char('l'), Key::Code(K::Right)], Action::Right, "next field"),
    b(&[Detail], &[Key::Char('h'), Key::Code(K::Left)], Action::Left, "previous source"),
    b(&[Detail], &[Key::Char('l'), Key::Code(K::Right)], Action::Right, "next source"),
    b(&[Browse, Facets, Detail], &[Key::Code(K::PageDown), Key::Ctrl('d')], Action::PageDown, "page down"),
    b(&[Browse, Facets, Detail], &[Key::Code(K::PageUp), Key::Ctrl('u')], Action::PageUp, "page up"),
    b(&[Browse, Facets, Detail, Programmes], &[Key::Char('g'), Key::Code(K::Home)], Action::Top, "go to the top"),
    b(&[Browse, Facets, Detail, Programmes], &[Key::Char('G'), Key::Code(K::End)], Action::Bottom, "go to the bottom"),
    b(&[Detail], &[Key::Char('[')], Action::PrevEvent, "previous event"),
    b(&[Detail], &[Key::Char(']')], Action::NextEvent, "next event"),
    // Opening and picking.
    b(&[Browse], &[Key::Code(K::Enter)], Action::Activate, "open the detail"),
    b(&[Facets], &[Key::Code(K::Enter), Key::Char(' ')], Action::Activate, "pick / drop (stacks)"),
    b(&[Programmes], &[Key::Code(K::Enter)], Action::Activate, "list its events"),
    b(&[Facets], &[Key::Char('[')], Action::SinceYear, "year: from this one"),
    b(&[Facets], &[Key::Char(']')], Action::UntilYear, "year: up to this one"),
    b(&[Detail], &[Key::Code(K::Enter), Key::Code(K::Esc)], Action::Back, "close the detail"),
    b(&[Facets], &[Key::Char('f'), Key::Code(K::Esc)], Action::Back, "back to the table"),
    b(&[Programmes], &[Key::Code(K::Esc)], Action::Back, "back to the events"),
    b(&[Browse], &[Key::Char('f')], Action::FocusFacets, "facets: counts, pick"),
    b(&[Browse, Facets, Detail], &[Key::Char('F')], Action::ToggleFacetPanel, "show / hide the facet panel"),
    // Filtering, searching, sorting.
    b(&[Browse, Facets, Programmes], &[Key::Char('/')], Action::StartSearch, "search (fuzzy, live)"),
    b(&[Browse], &[Key::Char('n')], Action::NextMatch, "next match, best first"),
    b(&[Browse], &[Key::Char('N')], Action::PrevMatch, "previous match"),
    b(FILTERING, &[Key::Char('c')], Action::CycleChannel, "cycle the channel cut"),
    b(FILTERING, &[Key::Char('p')], Action::CycleProgramme, "cycle the programme"),
    b(FILTERING, &[Key::Char('x')], Action::ClearFilters, "clear every filter"),
    b(&[Browse], &[Key::Code(K::Esc)], Action::Back, "clear the search"),
    b(&[Browse], &[Key::Char('s')], Action::CycleSort, "sort by the next column"),
    b(&[Browse], &[Key::Char('r')], Action::ReverseSort, "reverse the sort"),
    // Copying.
    b(&[Browse], &[Key::Char('y')], Action::CopyCitation, "copy 1st source citation"),
    b(&[Browse], &[Key::Char('U')], Action::CopyUrl, "copy 1st source URL"),
    b(&[Detail], &[Key::Char('y')], Action::CopyCitation, "copy source citation"),
    b(&[Detail], &[Key::Char('U')], Action::CopyUrl, "copy source URL"),
    b(FILTERING, &[Key::Char('C')], Action::CopyCommand, "copy `spacedip list …`"),
    // Everywhere.
    b(VIEWS, &[Key::Code(K::Tab)], Action::SwitchView, "events → cards → compare"),
    b(VIEWS, &[Key::Char('?'), Key::Code(K::F(1))], Action::ToggleHelp, "help for this view"),
    b(&[Search], &[Key::Code(K::F(1))], Action::ToggleHelp, "help for the search box"),
    b(NOT_TYPING, &[Key::Char('q')], Action::Quit, "quit"),
    b(VIEWS, &[Key::Ctrl('z')], Action::Suspend, "suspend (fg comes back)"),
    b(&[Browse, Search, Facets, Detail, Programmes, Help], &[Key::Ctrl('c')], Action::Quit, "quit"),
    // The export dialog (src/tui/app/export_update.rs).
    b(&[Browse, Facets, Detail], &[Key::Char('e')], Action::OpenExport, "export the filtered set"),
    b(EXPORT_EDIT, &[Key::Code(K::Down)], Action::ExportNextFormat, "next format"),
    b(&[ExportFormat], &[Key::Char('j')], Action::ExportNextFormat, "next format"),
    b(EXPORT_EDIT, &[Key::Code(K::Up)], Action::ExportPrevFormat, "previous format"),
    b(&[ExportFormat], &[Key::Char('k')], Action::ExportPrevFormat, "previous format"),
    b(EXPORT_EDIT, &[Key::Code(K::Tab)], Action::ExportSwitchField, "format ⇄ file name"),
    b(&[ExportFormat], &[Key::Char('n'), Key::Char(' ')], Action::ExportToggleNeutralise, "neutralise formulas (CSV)"),
    b(EXPORT_EDIT, &[Key::Code(K::Enter)], Action::ExportWrite, "write the file"),
    b(EXPORT_EDIT, &[Key::Code(K::Esc)], Action::ExportCancel, "cancel"),
    b(&[ExportConfirm], &[Key::Char('y')], Action::ExportReplace, "replace the file"),
    b(&[ExportConfirm], &[Key::Char('n'), Key::Code(K::Esc)], Action::ExportKeep, "keep it, choose another name"),
    b(&[ExportFormat, ExportConfirm], &[Key::Char('?'), Key::Code(K::F(1))], Action::ToggleHelp, "help for the dialog"),
    b(&[ExportPath], &[Key::Code(K::F(1))], Action::ToggleHelp, "help for the dialog"),
    b(&[ExportPath], &[Key::AnyChar], TYPE, "type the file name (~/ is your home)"),
    b(EXPORT_ALL, &[Key::Ctrl('c')], Action::Quit, "quit"),
    // Changing data: the event form, delete, undo and saved views (tui/app/edit.rs).
    b(&[Browse, Detail], &[Key::Char('a')], Action::Edit(Edit::AddEvent), "add an event"),
    b(&[Browse, Detail], &[Key::Char('E')], Action::Edit(Edit::EditEvent), "edit this event"),
    b(&[Browse, Detail], &[Key::Char('d')], Action::Edit(Edit::DeleteEvent), "delete this event (asks)"),
    b(VIEWS, &[Key::Char('u')], Action::Edit(Edit::Undo), "undo the last change"),
    b(VIEWS, &[Key::Char('S')], Action::Edit(Edit::SaveView), "save as a named view"),
    b(VIEWS, &[Key::Char('v')], Action::Edit(Edit::OpenViews), "pick a saved view"),
    b(&[Browse, Facets, Detail], &[Key::Char('o')], Action::Edit(Edit::OpenColumns), "choose the table's columns"),
    b(&[Columns], &[Key::Char('j'), Key::Code(K::Down)], Action::Edit(Edit::Down), "next column"),
    b(&[Columns], &[Key::Char('k'), Key::Code(K::Up)], Action::Edit(Edit::Up), "previous column"),
    b(&[Columns], &[Key::Char(' '), Key::Char('x')], Action::Edit(Edit::Toggle), "show / hide the column"),
    b(&[Columns], &[Key::Char('K')], Action::Edit(Edit::MoveUp), "move it left (up the list)"),
    b(&[Columns], &[Key::Char('J')], Action::Edit(Edit::MoveDown), "move it right (down the list)"),
    b(&[Columns], &[Key::Char('r')], Action::Edit(Edit::Reset), "back to the automatic columns"),
    b(&[Columns], &[Key::Code(K::Enter)], Action::Edit(Edit::Accept), "apply"),
    b(&[Columns], &[Key::Code(K::Esc), Key::Char('o')], Action::Edit(Edit::Cancel), "close without changes"),
    b(&[Columns], &[Key::Char('?'), Key::Code(K::F(1))], Action::ToggleHelp, "help for the chooser"),
    b(&[Columns], &[Key::Char('q'), Key::Ctrl('c')], Action::Quit, "quit"),
    b(&[Form], &[Key::Code(K::Tab), Key::Code(K::Down)], Action::Edit(Edit::NextField), "next field"),
    b(&[Form], &[Key::Code(K::BackTab), Key::Code(K::Up)], Action::Edit(Edit::PrevField), "previous field"),
    b(&[Form], &[Key::Code(K::Enter)], Action::Edit(Edit::Accept), "next field; on the last, save"),
    b(&[Form], &[Key::Ctrl('s')], Action::Edit(Edit::Save), "save"),
    b(&[Form], &[Key::Code(K::Esc)], Action::Edit(Edit::Cancel), "cancel (asks if changed)"),
    b(&[Form], &[Key::Ctrl('n')], Action::Edit(Edit::NextValue), "next valid value or matching id"),
    b(&[Form], &[Key::Ctrl('p')], Action::Edit(Edit::PrevValue), "previous valid value or matching id"),
    b(&[Prompt], &[Key::Code(K::Enter)], Action::Edit(Edit::Accept), "save the view"),
    b(&[Prompt], &[Key::Code(K::Esc)], Action::Edit(Edit::Cancel), "cancel"),
    b(&[Form, Prompt], &[Key::AnyChar], TYPE, "type"),
    b(&[Picker], &[Key::Char('j'), Key::Code(K::Down)], Action::Edit(Edit::Down), "next view"),
    b(&[Picker], &[Key::Char('k'), Key::Code(K::Up)], Action::Edit(Edit::Up), "previous view"),
    b(&[Picker], &[Key::Code(K::Enter)], Action::Edit(Edit::Accept), "apply (replaces the filter)"),
    b(&[Picker], &[Key::Char('d'), Key::Code(K::Delete)], Action::Edit(Edit::DeleteView), "delete the view (asks)"),
    b(&[Picker], &[Key::Code(K::Esc), Key::Char('v')], Action::Edit(Edit::Cancel), "close"),
    b(&[Confirm], &[Key::Char('y'), Key::Char('Y')], Action::Edit(Edit::Yes), "yes"),
    b(&[Confirm], &[Key::Char('n'), Key::Char('N'), Key::Code(K::Esc)], Action::Edit(Edit::No), "no"),
    b(&[Form, Prompt, Picker], &[Key::Code(K::F(1))], Action::ToggleHelp, "help for this dialog"),
    b(&[Picker], &[Key::Char('?')], Action::ToggleHelp, "help for this dialog"),
    b(&[Picker], &[Key::Char('q')], Action::Quit, "quit"),
    b(&[Form, Prompt, Picker, Confirm], &[Key::Ctrl('c')], Action::Quit, "quit (unsaved input is lost)"),
    // Analytics: the formula overlay (from every view) and the Compare view.
    b(&[Browse, Facets, Detail, Programmes, Compare], &[Key::Char('m')], Action::ToggleFormulas, "formulas of the measures"),
    b(&[Compare], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "scroll down"),
    b(&[Compare], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "scroll up"),
    b(&[Programmes, Compare], &[Key::Char('i')], Action::ToggleInstitutions, "institutions behind the density"),
    b(&[Institutions], &[Key::Char('i'), Key::Code(K::Esc)], Action::ToggleInstitutions, "close the list"),
    b(&[Institutions], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "scroll down"),
    b(&[Institutions], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "scroll up"),
    b(&[Institutions], &[Key::Code(K::PageDown), Key::Ctrl('d'), Key::Char(' ')], Action::PageDown, "page down"),
    b(&[Institutions], &[Key::Code(K::PageUp), Key::Ctrl('u')], Action::PageUp, "page up"),
    b(&[Institutions], &[Key::Char('g'), Key::Code(K::Home)], Action::Top, "go to the top"),
    b(&[Institutions], &[Key::Char('G'), Key::Code(K::End)], Action::Bottom, "go to the bottom"),
    b(&[Institutions], &[Key::Char('?'), Key::Code(K::F(1))], Action::ToggleHelp, "help for this list"),
    b(&[Institutions], &[Key::Char('q'), Key::Ctrl('c')], Action::Quit, "quit"),
    b(&[Formulas], &[Key::Char('j'), Key::Code(K::Down)], Action::Down, "scroll down"),
    b(&[Formulas], &[Key::Char('k'), Key::Code(K::Up)], Action::Up, "scroll up"),
    b(&[Compare, Formulas], &[Key::Code(K::PageDown), Key::Ctrl('d'), Key::Char(' ')], Action::PageDown, "page down"),
    b(&[Compare, Formulas], &[Key::Code(K::PageUp), Key::Ctrl('u')], Action::PageUp, "page up"),
    b(&[Compare, Formulas], &[Key::Char('g'), Key::Code(K::Home)], Action::Top, "go to the top"),
    b(&[Compare, Formulas], &[Key::Char('G'), Key::Code(K::End)], Action::Bottom, "go to the bottom"),
    b(&[Compare], &[Key::Char('[')], Action::PairLeftPrev, "left programme: previous"),
    b(&[Compare], &[Key::Char(']')], Action::PairLeftNext, "left programme: next"),
    b(&[Compare], &[Key::Char('{')], Action::PairRightPrev, "right programme: previous"),
    b(&[Compare], &[Key::Char('}')], Action::PairRightNext, "right programme: next"),
    b(&[Compare], &[Key::Char('s')], Action::PairSwap, "swap left and right"),
    b(&[Compare], &[Key::Char('c')], Action::CycleChannel, "cycle the channel cut"),
    b(&[Compare], &[Key::Char('x')], Action::ClearFilters, "clear every filter"),
    b(&[Compare], &[Key::Char('/')], Action::StartSearch, "search (in the events view)"),
    b(&[Compare], &[Key::Char('C')], Action::CopyCommand, "copy `spacedip compare …`"),
    b(&[Compare], &[Key::Code(K::Esc)], Action::Back, "back to the events"),
    b(&[Compare], &[Key::Code(K::Tab)], Action::SwitchView, "back to the events (cycle)"),
    b(&[Formulas], &[Key::Char('m'), Key::Code(K::Esc)], Action::ToggleFormulas, "close the formulas"),
    b(&[Compare, Formulas], &[Key::Char('?'), Key::Code(K::F(1))], Action::ToggleHelp, "help for this view"),
    b(&[Compare, Formulas], &[Key::Char('q'), Key::Ctrl('c')], Action::Quit, "quit"),
];

/// The action a key press asks for in `mode`, if any. Releases and repeats are ignored.
pub fn map_key(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let binding = bindings(mode).find(|b| b.keys.iter().any(|k| k.matches(&key)))?;
    Some(match (binding.action, key.code) {
        (TYPE, KeyCode::Char(c)) => Action::Text(TextEdit::Input(c)),
        (action, _) => action,
    })
}

/// The actions a pasted text asks for in `mode`: where a key types (the search box, a file
/// name, a form field, a prompt) it is typed there, a char at a time, line breaks and tabs
/// as spaces (each of these is one line) and other control chars dropped; elsewhere a paste
/// does nothing, so that the letters of a text pasted by mistake never run as commands.
pub fn map_paste(mode: Mode, text: &str) -> Vec<Action> {
    if !bindings(mode).any(|b| b.action == TYPE) {
        return Vec::new();
    }
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .map(|c| Action::Text(TextEdit::Input(c)))
        .collect()
}

/// The bindings that apply in `mode`, in table order.
pub fn bindings(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.modes.contains(&mode))
}

/// The action a mouse event asks for, if any.
pub fn map_mouse(m: MouseEvent) -> Option<Action> {
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(m.column, m.row)),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(m.column, m.row)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn text(edit: TextEdit) -> Action {
        Action::Text(edit)
    }

    fn typed(c: char) -> Action {
        Action::Text(TextEdit::Input(c))
    }

    fn ch(c: char) -> KeyEvent {
        let m = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        key(KeyCode::Char(c), m)
    }

    #[test]
    fn key_to_action_table() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases: Vec<(Mode, KeyEvent, Option<Action>)> = vec![
            (Browse, ch('j'), Some(Action::Down)),
            (Browse, key(K::Down, none), Some(Action::Down)),
            (Browse, ch('k'), Some(Action::Up)),
            (Browse, key(K::PageDown, none), Some(Action::PageDown)),
            (Browse, key(K::PageUp, none), Some(Action::PageUp)),
            (Browse, ch('g'), Some(Action::Top)),
            (Browse, ch('G'), Some(Action::Bottom)),
            (Browse, key(K::Home, none), Some(Action::Top)),
            (Browse, key(K::End, none), Some(Action::Bottom)),
            (Browse, key(K::Enter, none), Some(Action::Activate)),
            (Browse, ch('/'), Some(Action::StartSearch)),
            (Browse, ch('n'), Some(Action::NextMatch)),
            (Browse, ch('N'), Some(Action::PrevMatch)),
            (Browse, ch('c'), Some(Action::CycleChannel)),
            (Browse, ch('f'), Some(Action::FocusFacets)),
            (Browse, ch('s'), Some(Action::CycleSort)),
            (Browse, ch('r'), Some(Action::ReverseSort)),
            (Browse, ch('y'), Some(Action::CopyCitation)),
            (Browse, ch('C'), Some(Action::CopyCommand)),
            (Browse, key(K::Tab, none), Some(Action::SwitchView)),
            (Browse, ch('?'), Some(Action::ToggleHelp)),
            (Browse, ch('q'), Some(Action::Quit)),
            (Browse, key(K::Char('c'), ctrl), Some(Action::Quit)),
            (Browse, ch('z'), None),
            (Search, ch('q'), Some(typed('q'))),
            (Search, ch('j'), Some(typed('j'))),
            (Search, ch('?'), Some(typed('?'))),
            (Search, ch('É'), Some(typed('É'))),
            (Search, key(K::Enter, none), Some(Action::SearchKeep)),
            (Search, key(K::Esc, none), Some(Action::SearchCancel)),
            (
                Search,
                key(K::Backspace, none),
                Some(text(TextEdit::Backspace)),
            ),
            (
                Search,
                key(K::Char('w'), ctrl),
                Some(text(TextEdit::DeleteWord)),
            ),
            (Search, key(K::Left, none), Some(text(TextEdit::Left))),
            (Search, key(K::Char('a'), ctrl), Some(text(TextEdit::Home))),
            (
                ExportPath,
                key(K::Backspace, none),
                Some(text(TextEdit::Backspace)),
            ),
            (
                ExportPath,
                key(K::Char('u'), ctrl),
                Some(text(TextEdit::Clear)),
            ),
            (ExportPath, key(K::End, none), Some(text(TextEdit::End))),
            (ExportPath, ch('x'), Some(typed('x'))),
            (Search, key(K::Char('c'), ctrl), Some(Action::Quit)),
            (Search, key(K::Down, none), Some(Action::Down)),
            (Search, key(K::F(1), none), Some(Action::ToggleHelp)),
            (Browse, key(K::F(1), none), Some(Action::ToggleHelp)),
            (Help, key(K::F(1), none), Some(Action::ToggleHelp)),
            (Facets, key(K::Enter, none), Some(Action::Activate)),
            (Facets, ch(' '), Some(Action::Activate)),
            (Facets, ch('l'), Some(Action::Right)),
            (Facets, ch('['), Some(Action::SinceYear)),
            (Facets, ch('f'), Some(Action::Back)),
            (Detail, ch('j'), Some(Action::Down)),
            (Detail, ch(']'), Some(Action::NextEvent)),
            (Detail, ch('l'), Some(Action::Right)),
            (Detail, ch('U'), Some(Action::CopyUrl)),
            (Detail, key(K::Esc, none), Some(Action::Back)),
            (Detail, ch('c'), None),
            (Programmes, ch('h'), Some(Action::Left)),
            (Programmes, key(K::Enter, none), Some(Action::Activate)),
            (Programmes, key(K::Tab, none), Some(Action::SwitchView)),
            (Help, ch('?'), Some(Action::ToggleHelp)),
            (Help, key(K::Esc, none), Some(Action::ToggleHelp)),
            (Help, ch('q'), Some(Action::Quit)),
            (Help, ch('j'), None),
        ];
        for (mode, k, want) in cases {
            assert_eq!(map_key(mode, k), want, "{mode:?} {k:?}");
        }
    }

    #[test]
    fn only_presses_count() {
        let mut k = ch('j');
        k.kind = KeyEventKind::Release;
        assert_eq!(map_key(Browse, k), None);
        k.kind = KeyEventKind::Repeat;
        k.state = KeyEventState::NONE;
        assert_eq!(map_key(Browse, k), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in [
            Browse,
            Search,
            Facets,
            Detail,
            Programmes,
            Help,
            Form,
            Confirm,
            Prompt,
            Picker,
            ExportFormat,
            ExportPath,
            ExportConfirm,
            ExportBusy,
            Compare,
            Formulas,
            Institutions,
        ] {
            let mut seen: Vec<String> = Vec::new();
            for b in bindings(mode) {
                for k in b.keys {
                    let label = format!("{k:?}");
                    assert!(!seen.contains(&label), "{mode:?}: {label} bound twice");
                    seen.push(label);
                }
            }
        }
    }

    #[test]
    fn editing_keys_to_actions() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let e = Action::Edit;
        let cases: Vec<(Mode, KeyEvent, Option<Action>)> = vec![
            (Browse, ch('a'), Some(e(Edit::AddEvent))),
            (Browse, ch('E'), Some(e(Edit::EditEvent))),
            (Browse, ch('d'), Some(e(Edit::DeleteEvent))),
            (Browse, ch('u'), Some(e(Edit::Undo))),
            (Browse, ch('S'), Some(e(Edit::SaveView))),
            (Browse, ch('v'), Some(e(Edit::OpenViews))),
            (Browse, ch('U'), Some(Action::CopyUrl)),
            (Detail, ch('E'), Some(e(Edit::EditEvent))),
            (Detail, ch('d'), Some(e(Edit::DeleteEvent))),
            (Detail, ch('u'), Some(e(Edit::Undo))),
            (Facets, ch('u'), Some(e(Edit::Undo))),
            (Facets, ch('d'), None),
            (Programmes, ch('v'), Some(e(Edit::OpenViews))),
            (Programmes, ch('a'), None),
            (Search, ch('a'), Some(typed('a'))),
            (Form, ch('q'), Some(typed('q'))),
            (Form, ch('d'), Some(typed('d'))),
            (Form, ch('É'), Some(typed('É'))),
            (Form, key(K::Tab, none), Some(e(Edit::NextField))),
            (Form, key(K::Down, none), Some(e(Edit::NextField))),
            (
                Form,
                key(K::BackTab, KeyModifiers::SHIFT),
                Some(e(Edit::PrevField)),
            ),
            (Form, key(K::Up, none), Some(e(Edit::PrevField))),
            (Form, key(K::Enter, none), Some(e(Edit::Accept))),
            (Form, key(K::Char('s'), ctrl), Some(e(Edit::Save))),
            (Form, key(K::Esc, none), Some(e(Edit::Cancel))),
            (Form, key(K::Char('n'), ctrl), Some(e(Edit::NextValue))),
            (Form, key(K::Char('p'), ctrl), Some(e(Edit::PrevValue))),
            (
                Form,
                key(K::Backspace, none),
                Some(text(TextEdit::Backspace)),
            ),
            (Form, key(K::Delete, none), Some(text(TextEdit::Delete))),
            (
                Form,
                key(K::Char('w'), ctrl),
                Some(text(TextEdit::DeleteWord)),
            ),
            (Form, key(K::Char('u'), ctrl), Some(text(TextEdit::Clear))),
            (Form, key(K::Left, none), Some(text(TextEdit::Left))),
            (Form, key(K::Home, none), Some(text(TextEdit::Home))),
            (Form, key(K::Char('e'), ctrl), Some(text(TextEdit::End))),
            (
                Prompt,
                key(K::Char('w'), ctrl),
                Some(text(TextEdit::DeleteWord)),
            ),
            (Form, key(K::F(1), none), Some(Action::ToggleHelp)),
            (Form, key(K::Char('c'), ctrl), Some(Action::Quit)),
            (Prompt, ch('x'), Some(typed('x'))),
            (Prompt, key(K::Enter, none), Some(e(Edit::Accept))),
            (Prompt, key(K::Esc, none), Some(e(Edit::Cancel))),
            (Prompt, key(K::Tab, none), None),
            (Picker, ch('j'), Some(e(Edit::Down))),
            (Picker, key(K::Up, none), Some(e(Edit::Up))),
            (Picker, key(K::Enter, none), Some(e(Edit::Accept))),
            (Picker, ch('d'), Some(e(Edit::DeleteView))),
            (Picker, key(K::Delete, none), Some(e(Edit::DeleteView))),
            (Picker, key(K::Esc, none), Some(e(Edit::Cancel))),
            (Picker, ch('v'), Some(e(Edit::Cancel))),
            (Picker, ch('q'), Some(Action::Quit)),
            (Confirm, ch('y'), Some(e(Edit::Yes))),
            (Confirm, ch('Y'), Some(e(Edit::Yes))),
            (Confirm, ch('n'), Some(e(Edit::No))),
            (Confirm, key(K::Esc, none), Some(e(Edit::No))),
            (Confirm, key(K::Enter, none), None),
            (Confirm, ch('q'), None),
            (Confirm, key(K::Char('c'), ctrl), Some(Action::Quit)),
        ];
        for (mode, k, want) in cases {
            assert_eq!(map_key(mode, k), want, "{mode:?} {k:?}");
        }
    }

    #[test]
    fn a_paste_types_where_keys_type_and_nowhere_else() {
        let typed = |s: &str| -> Vec<Action> {
            s.chars()
                .map(|c| Action::Text(TextEdit::Input(c)))
                .collect()
        };
        for mode in [Search, ExportPath, Form, Prompt] {
            assert_eq!(
                map_paste(mode, "moon\r\nq\td"),
                typed("moon q d"),
                "{mode:?}"
            );
            // Control chars but line breaks and tabs are dropped; a lone CR is a break.
            assert_eq!(map_paste(mode, "a\x1b[31mb\rc\u{7}"), typed("a[31mb c"));
        }
        for mode in [
            Browse, Detail, Facets, Programmes, Compare, Help, Confirm, Picker,
        ] {
            assert_eq!(map_paste(mode, "qdq"), Vec::new(), "{mode:?}");
        }
    }

    #[test]
    fn mouse_clicks_and_wheel() {
        let m = |kind| MouseEvent {
            kind,
            column: 3,
            row: 7,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(
            map_mouse(m(MouseEventKind::Down(MouseButton::Left))),
            Some(Action::Click(3, 7))
        );
        assert_eq!(
            map_mouse(m(MouseEventKind::ScrollDown)),
            Some(Action::ScrollDown(3, 7))
        );
        assert_eq!(map_mouse(m(MouseEventKind::Moved)), None);
    }
}
