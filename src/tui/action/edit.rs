//! The verbs of changing data from the browser: the event form, deleting, undo, saved views,
//! and the dialogs they open. Wrapped in `Action::Edit`.

/// One intent about changing data, or typing in one of the editing dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Open the form for a new event (`a`).
    AddEvent,
    /// Open the form on the selected event (`E`).
    EditEvent,
    /// Ask, then delete the selected event (`d`).
    DeleteEvent,
    /// Undo the last change made in this session (`u`).
    Undo,
    /// Save the current filter, sort and search as a named view (`S`).
    SaveView,
    /// Open the list of saved views (`v`).
    OpenViews,
    /// Next form field.
    NextField,
    /// Previous form field.
    PrevField,
    /// Put the next valid value (or matching id) in the field.
    NextValue,
    /// Put the previous valid value (or matching id) in the field.
    PrevValue,
    /// Enter: next field (saves on the last), save the view name, apply the picked view.
    Accept,
    /// Save the form now.
    Save,
    /// Esc: leave the form (asking if it changed), the prompt or the picker.
    Cancel,
    /// Answer yes to a question.
    Yes,
    /// Answer no to a question.
    No,
    /// Previous row of the picker.
    Up,
    /// Next row of the picker.
    Down,
    /// Ask, then delete the view under the picker's cursor.
    DeleteView,
    /// Open the column chooser (`o`).
    OpenColumns,
    /// Tick or untick the column under the cursor.
    Toggle,
    /// Move the column under the cursor up (earlier in the table).
    MoveUp,
    /// Move the column under the cursor down (later in the table).
    MoveDown,
    /// Let the columns follow the terminal's width again.
    Reset,
}
