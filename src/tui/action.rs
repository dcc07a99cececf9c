//! What the user asked for, independent of the key or click that asked: the verbs
//! `App::update` understands. Movement verbs act on whatever has the focus.

mod edit;

pub use edit::Edit;

/// One user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave spacedip, restoring the terminal.
    Quit,
    /// Give the shell back (Ctrl-Z): the terminal restored, the process stopped until `fg`.
    Suspend,
    /// Open or close the help overlay for the current view.
    ToggleHelp,
    /// Switch between the events table and the programme cards.
    SwitchView,
    /// Move up one row (table, facet list, card grid) or scroll the detail up one line.
    Up,
    /// Move down one row or scroll the detail down one line.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Go to the first row (or the top of the detail).
    Top,
    /// Go to the last row (or the bottom of the detail).
    Bottom,
    /// Previous facet section, previous source in the detail, card to the left.
    Left,
    /// Next facet section, next source in the detail, card to the right.
    Right,
    /// Enter: open the detail, pick a facet value, open a programme's events.
    Activate,
    /// Esc: close the detail, leave the facets, or clear the search.
    Back,
    /// Start typing a search (`/`).
    StartSearch,
    /// Edit the line being typed: the search box, the export's file name, a form field or a
    /// view's name, whichever has the keyboard (one editor, one set of keys).
    Text(TextEdit),
    /// Keep the search as a filter and go back to the table (Enter).
    SearchKeep,
    /// Clear the search and go back to the table (Esc).
    SearchCancel,
    /// Select the next match, by relevance (best first).
    NextMatch,
    /// Select the previous match, by relevance.
    PrevMatch,
    /// Cycle the channel cut: all → multilateral (incl. UN) → UN only → bilateral → national.
    CycleChannel,
    /// Cycle the programme: all → CSS → ILRS → the others → all.
    CycleProgramme,
    /// Move the focus into or out of the facet panel.
    FocusFacets,
    /// Show or hide the facet panel beside the table, at any width (`F`).
    ToggleFacetPanel,
    /// Sort by the next column (date, programme, channel, kind, title, id).
    CycleSort,
    /// Reverse the sort order.
    ReverseSort,
    /// Remove every filter, search included.
    ClearFilters,
    /// In the year facet: events from this year on.
    SinceYear,
    /// In the year facet: events up to this year.
    UntilYear,
    /// In the detail: show the previous event of the table.
    PrevEvent,
    /// In the detail: show the next event of the table.
    NextEvent,
    /// Copy the chosen source's full citation (OSC 52; printed again on exit).
    CopyCitation,
    /// Copy the chosen source's URL.
    CopyUrl,
    /// Copy the `spacedip list …` command that selects the events shown.
    CopyCommand,
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// A left click at (column, row).
    Click(u16, u16),
    /// The mouse wheel turned up at (column, row).
    ScrollUp(u16, u16),
    /// The mouse wheel turned down at (column, row).
    ScrollDown(u16, u16),
    // The export dialog (`e`), src/tui/app/export_update.rs.
    /// Open the export dialog for the whole filtered, sorted set.
    OpenExport,
    /// Choose the next export format.
    ExportNextFormat,
    /// Choose the previous export format.
    ExportPrevFormat,
    /// Move between the format list and the file name.
    ExportSwitchField,
    /// Turn spreadsheet-formula neutralisation on or off (CSV formats).
    ExportToggleNeutralise,
    /// Write the file (Enter).
    ExportWrite,
    /// Close the dialog without writing (Esc).
    ExportCancel,
    /// The file exists: replace it (`y`).
    ExportReplace,
    /// The file exists: keep it and choose another name (`n`, Esc).
    ExportKeep,
    /// Change data: the event form, delete, undo, saved views and their dialogs.
    Edit(Edit),
    // Analytics: the formula overlay and the Compare view's pair.
    /// Open or close the formulas of the measures, with their meaning and limits.
    ToggleFormulas,
    /// Open or close the institutions behind the selected programme's density.
    ToggleInstitutions,
    /// Compare: the previous programme on the left.
    PairLeftPrev,
    /// Compare: the next programme on the left.
    PairLeftNext,
    /// Compare: the previous programme on the right.
    PairRightPrev,
    /// Compare: the next programme on the right.
    PairRightNext,
    /// Compare: swap the left and right programmes.
    PairSwap,
}

/// An edit of a line of text, as the keys ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEdit {
    /// Type a character at the caret.
    Input(char),
    /// Delete the character before the caret (Backspace).
    Backspace,
    /// Delete the character under the caret (Delete).
    Delete,
    /// Delete the word before the caret (Ctrl-W).
    DeleteWord,
    /// Empty the line (Ctrl-U).
    Clear,
    /// Move the caret one character left.
    Left,
    /// Move the caret one character right.
    Right,
    /// Move the caret to the start of the line.
    Home,
    /// Move the caret to the end of the line.
    End,
}

impl TextEdit {
    /// Whether the edit only moves the caret.
    pub fn moves_only(self) -> bool {
        matches!(
            self,
            TextEdit::Left | TextEdit::Right | TextEdit::Home | TextEdit::End
        )
    }
}
