//! One line of editable text with a caret: the one editor of the search box, the export's
//! file name, the event form's fields and the view-name prompt, so that the same keys do the
//! same thing in each.

use crate::tui::action::TextEdit;

/// A line of text and a caret (a char index, 0 ..= the number of chars).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    caret: usize,
}

impl TextInput {
    /// `text` with the caret at its end.
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            caret: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The caret, as a char index.
    pub fn caret(&self) -> usize {
        self.caret
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts a character at the caret.
    pub fn insert(&mut self, c: char) {
        let at = self.byte(self.caret);
        self.text.insert(at, c);
        self.caret += 1;
    }

    /// Deletes the character before the caret.
    pub fn backspace(&mut self) {
        if self.caret > 0 {
            self.caret -= 1;
            let at = self.byte(self.caret);
            self.text.remove(at);
        }
    }

    /// Deletes the character under the caret.
    pub fn delete(&mut self) {
        if self.caret < self.text.chars().count() {
            let at = self.byte(self.caret);
            self.text.remove(at);
        }
    }

    /// Applies `edit`; returns whether the text changed (not only the caret).
    pub fn apply(&mut self, edit: TextEdit) -> bool {
        let before = self.text.len();
        let caret = self.caret;
        match edit {
            TextEdit::Input(c) if c.is_control() => return false,
            TextEdit::Input(c) => self.insert(c),
            TextEdit::Backspace => self.backspace(),
            TextEdit::Delete => self.delete(),
            TextEdit::DeleteWord => self.delete_word(),
            TextEdit::Clear => self.clear(),
            TextEdit::Left => self.left(),
            TextEdit::Right => self.right(),
            TextEdit::Home => self.home(),
            TextEdit::End => self.end(),
        }
        // Every change of the text changes its length or (typing) the caret.
        !edit.moves_only() && (self.text.len() != before || self.caret != caret)
    }

    /// Deletes the word before the caret and the separators after it. A word is a run of
    /// letters and digits, in any script; anything else (spaces, `/`, `-`, `.`, `:`, `;`)
    /// separates, so Ctrl-W takes `Russia` from a search, `csv` from a file name and `CHN`
    /// from a list of parties alike.
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.caret;
        while start > 0 && !chars[start - 1].is_alphanumeric() {
            start -= 1;
        }
        while start > 0 && chars[start - 1].is_alphanumeric() {
            start -= 1;
        }
        let (from, to) = (self.byte(start), self.byte(self.caret));
        self.text.replace_range(from..to, "");
        self.caret = start;
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }

    pub fn left(&mut self) {
        self.caret = self.caret.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.caret = (self.caret + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.caret = 0;
    }

    pub fn end(&mut self) {
        self.caret = self.text.chars().count();
    }

    /// Replaces the chars `from..to` (char indices) with `with`, leaving the caret after it.
    pub fn splice(&mut self, from: usize, to: usize, with: &str) {
        let (a, b) = (self.byte(from), self.byte(to));
        self.text.replace_range(a..b, with);
        self.caret = from + with.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_caret_by_chars_not_bytes() {
        let mut t = TextInput::new("Türkiye");
        t.left();
        t.left();
        t.insert('X');
        assert_eq!(t.text(), "TürkiXye");
        t.home();
        t.delete();
        assert_eq!(t.text(), "ürkiXye");
        t.end();
        t.backspace();
        assert_eq!((t.text(), t.caret()), ("ürkiXy", 6));
    }

    #[test]
    fn one_word_rule_for_searches_paths_and_lists() {
        let mut t = TextInput::new("out/spacedip-all.csv");
        t.delete_word();
        assert_eq!(t.text(), "out/spacedip-all.");
        t.delete_word();
        assert_eq!(t.text(), "out/spacedip-");
        let mut t = TextInput::new("partner:CHN;RUS");
        t.delete_word();
        assert_eq!(t.text(), "partner:CHN;");
        let mut t = TextInput::new("月球 科研站");
        t.delete_word();
        assert_eq!(t.text(), "月球 ");
        let mut t = TextInput::new("ab cd");
        t.left();
        t.left();
        t.delete_word();
        assert_eq!((t.text(), t.caret()), ("cd", 0));
    }

    #[test]
    fn apply_tells_edits_from_moves() {
        let mut t = TextInput::new("ab");
        assert!(!t.apply(TextEdit::Left));
        assert!(t.apply(TextEdit::Input('x')));
        assert_eq!(t.text(), "axb");
        assert!(
            !t.apply(TextEdit::Input('\u{7}')),
            "control characters are not typed"
        );
        t.home();
        assert!(!t.apply(TextEdit::Backspace), "nothing before the caret");
        assert!(t.apply(TextEdit::Delete));
        assert!(t.apply(TextEdit::Clear));
        assert!(!t.apply(TextEdit::Clear));
    }

    #[test]
    fn deletes_words_like_a_shell() {
        let mut t = TextInput::new("China and  Russia  ");
        t.delete_word();
        assert_eq!(t.text(), "China and  ");
        t.delete_word();
        assert_eq!(t.text(), "China ");
        t.splice(0, 5, "CHN");
        assert_eq!((t.text(), t.caret()), ("CHN ", 3));
        t.clear();
        assert_eq!((t.text(), t.caret()), ("", 0));
    }
}
