//! The columns an events table can show, in the order a user chose them: `list --columns`,
//! the browser's column chooser (`o`), and saved views all speak of the same names.

use super::filter::SortKey;
use super::vocab::{vocabulary, VocabError};

vocabulary! {
    /// A column of an events table.
    Column, "column" {
        Id = "id",
        Date = "date",
        Programme = "programme",
        Channel = "channel",
        Kind = "kind",
        Valence = "valence",
        Title = "title",
        Partners = "partners",
    }
}

impl Column {
    /// The sort key a click on the column's heading chooses, if it sorts.
    pub fn sort_key(self) -> Option<SortKey> {
        match self {
            Column::Id => Some(SortKey::Id),
            Column::Date => Some(SortKey::Date),
            Column::Programme => Some(SortKey::Programme),
            Column::Channel => Some(SortKey::Channel),
            Column::Kind => Some(SortKey::Kind),
            Column::Title => Some(SortKey::Title),
            Column::Valence | Column::Partners => None,
        }
    }
}

/// `id,date,title` as columns, in that order; an unknown name is refused with the valid ones,
/// and a column named twice or none at all is refused too.
pub fn parse_columns(s: &str) -> Result<Vec<Column>, ColumnsError> {
    let mut out: Vec<Column> = Vec::new();
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let c: Column = name
            .to_ascii_lowercase()
            .parse()
            .map_err(ColumnsError::Unknown)?;
        if out.contains(&c) {
            return Err(ColumnsError::Twice(c));
        }
        out.push(c);
    }
    if out.is_empty() {
        return Err(ColumnsError::Empty);
    }
    Ok(out)
}

/// Why a list of columns was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnsError {
    #[error(transparent)]
    Unknown(VocabError),
    #[error("column '{0}' is named twice")]
    Twice(Column),
    #[error("name at least one column (valid: {})", Column::names().join(", "))]
    Empty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_parse_in_order_and_refuse_what_is_not_one() {
        assert_eq!(
            parse_columns("id, Title,date").unwrap(),
            [Column::Id, Column::Title, Column::Date]
        );
        let unknown = parse_columns("id,colour").unwrap_err().to_string();
        assert_eq!(
            unknown,
            "unknown column 'colour' (valid: id, date, programme, channel, kind, valence, title, partners)"
        );
        assert_eq!(
            parse_columns("id,id").unwrap_err(),
            ColumnsError::Twice(Column::Id)
        );
        assert!(parse_columns(" , ")
            .unwrap_err()
            .to_string()
            .contains("valid: id"));
    }
}
