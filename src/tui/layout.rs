//! Where each part of the screen goes: pure functions of the terminal's size, the view and
//! the focus (never of the whole `App`), which the views draw into and the app reads for page
//! sizes and mouse hits; and [`Drawn`], what a frame tells the app about its scrollable parts.

use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

use crate::domain::{Column, SortKey};
use crate::text::width;

/// The views, cycled with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Events,
    Programmes,
    Compare,
}

/// What has the keyboard in the events view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Search,
    Facets,
    Detail,
}

/// The smallest terminal spacedip draws in.
pub const MIN_SIZE: (u16, u16) = (60, 15);

/// From this width the facet panel stays open beside the table.
pub const WIDE: u16 = 120;

/// From this body height the detail pane stays open under the table.
pub const TALL_BODY: u16 = 30;

/// The screen's parts; `None` for parts not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    pub status: Rect,
    pub facets: Option<Rect>,
    pub table: Option<Rect>,
    pub detail: Option<Rect>,
    pub cards: Option<Rect>,
    pub compare: Option<Rect>,
    /// The terminal is below [`MIN_SIZE`]: only a message is drawn.
    pub too_small: bool,
}

/// Splits `area` for a `view` with `focus`; `facets` is the user's choice for the facet panel
/// (`F`), `None` leaving it to the width.
///
/// The events view shows the table; the facet panel on its left when focused, when the user
/// opened it, or (unless closed) when the terminal is wide; the detail pane under the table
/// when the terminal is tall, or instead of the table when it is focused in a short terminal.
pub fn areas(area: Rect, view: View, focus: Focus, facets: Option<bool>) -> Areas {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return Areas {
            header: area,
            too_small: true,
            ..Areas::default()
        };
    }
    let header = Rect { height: 1, ..area };
    let status = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    let mut out = Areas {
        header,
        status,
        ..Areas::default()
    };
    if view == View::Programmes {
        out.cards = Some(body);
        return out;
    }
    if view == View::Compare {
        out.compare = Some(body);
        return out;
    }
    let mut rest = body;
    if focus == Focus::Facets || facets.unwrap_or(area.width >= WIDE) {
        let w = if area.width >= WIDE { 34 } else { 30 };
        out.facets = Some(Rect { width: w, ..body });
        rest = Rect {
            x: body.x + w,
            width: body.width - w,
            ..body
        };
    }
    let tall = rest.height >= TALL_BODY;
    if focus == Focus::Detail && !tall {
        out.detail = Some(rest);
    } else if tall {
        let table_h = (rest.height * 2 / 5).max(10);
        out.table = Some(Rect {
            height: table_h,
            ..rest
        });
        out.detail = Some(Rect {
            y: rest.y + table_h,
            height: rest.height - table_h,
            ..rest
        });
    } else {
        out.table = Some(rest);
    }
    out
}

/// How far one scrollable part can move: the lines it shows at once and the last useful
/// first line. A frame measures them as it draws (see [`Drawn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extent {
    pub page: usize,
    pub max: usize,
}

impl Extent {
    /// The extent of `lines` lines shown `page` at a time.
    pub fn of(lines: usize, page: usize) -> Extent {
        Extent {
            page: page.max(1),
            max: lines.saturating_sub(page),
        }
    }
}

/// What the last frame drew of each scrollable part; the app clamps its scroll positions to
/// these rather than building the lines again. `None` for a part not on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drawn {
    pub detail: Option<Extent>,
    pub compare: Option<Extent>,
    pub formulas: Option<Extent>,
    pub institutions: Option<Extent>,
}

/// The brand at the header's left.
pub const BRAND: &str = " spacedip ";

/// The view tabs of the header, in order.
pub const TABS: [(View, &str); 3] = [
    (View::Events, " Events "),
    (View::Programmes, " Programmes "),
    (View::Compare, " Compare "),
];

/// The first column of the search box.
pub fn search_start() -> u16 {
    let tabs: usize = TABS.iter().map(|(_, l)| width(l)).sum();
    (width(BRAND) + 1 + tabs + 2) as u16
}

/// The view whose tab is at column `x`.
pub fn tab_at(x: u16) -> Option<View> {
    let mut left = width(BRAND) + 1;
    for (view, label) in TABS {
        let right = left + width(label);
        if (left..right).contains(&usize::from(x)) {
            return Some(view);
        }
        left = right;
    }
    None
}

/// A column of the events table: the selection marker, or one of the data columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Marker,
    Data(Column),
}

impl Col {
    /// The sort key a click on the column's heading chooses.
    pub fn sort_key(self) -> Option<SortKey> {
        match self {
            Col::Marker => None,
            Col::Data(c) => c.sort_key(),
        }
    }
}

/// From this table width the ID column shows and columns widen.
pub const WIDE_TABLE: u16 = 110;

/// The narrowest title the automatic layout leaves beside the id.
const TITLE_MIN: u16 = 28;

/// A column's width in the table: fixed for coded values, `None` for the text columns that
/// share the rest.
fn fixed_width(c: Column, wide: bool) -> Option<u16> {
    match c {
        Column::Id => Some(8),
        Column::Date => Some(10),
        Column::Programme => Some(if wide { 14 } else { 8 }),
        Column::Channel => Some(7),
        Column::Kind => Some(if wide { 15 } else { 9 }),
        Column::Valence => Some(11),
        Column::Title | Column::Partners => None,
    }
}

/// The columns and their widths for a table `width` columns wide (one space between):
/// `chosen` in its order, or (none chosen) the automatic set for the width.
pub fn columns(width: u16, chosen: &[Column]) -> Vec<(Col, u16)> {
    if chosen.is_empty() {
        return automatic(width);
    }
    let wide = width >= WIDE_TABLE;
    let fixed_of = |cols: &[Column]| -> u16 {
        cols.iter()
            .filter_map(|c| fixed_width(*c, wide))
            .sum::<u16>()
            + 1
            + cols.len() as u16
    };
    let mut cols: Vec<Column> = chosen.to_vec();
    // Columns the width cannot hold give way from the right, the first one never.
    while cols.len() > 1 {
        let flexible = cols
            .iter()
            .filter(|c| fixed_width(**c, wide).is_none())
            .count() as u16;
        if fixed_of(&cols) + flexible * 12 <= width {
            break;
        }
        cols.pop();
    }
    let rest = width.saturating_sub(fixed_of(&cols));
    let both = cols.contains(&Column::Title) && cols.contains(&Column::Partners);
    let partners = if both { (rest / 3).clamp(8, 40) } else { rest };
    let no_text = cols.iter().all(|c| fixed_width(*c, wide).is_some());
    let last = cols.len() - 1;
    let mut out = vec![(Col::Marker, 1)];
    for (i, c) in cols.iter().enumerate() {
        let w = match (fixed_width(*c, wide), c) {
            // With no text column, the last one takes the rest.
            (Some(w), _) if no_text && i == last => w + rest,
            (Some(w), _) => w,
            (None, Column::Title) if both => rest.saturating_sub(partners),
            (None, _) => partners,
        };
        out.push((Col::Data(*c), w));
    }
    out
}

/// The automatic columns. The id is what users cite and pass to `show`, so it stays as long as
/// the title keeps 28 columns beside it, partners giving way first; below that the id goes,
/// then partners and the kind as before.
fn automatic(width: u16) -> Vec<(Col, u16)> {
    let wide = width >= WIDE_TABLE;
    let data = |c: Column| (Col::Data(c), fixed_width(c, wide).unwrap_or(0));
    let mut cols: Vec<(Col, u16)> = vec![(Col::Marker, 1)];
    cols.extend(
        [
            Column::Id,
            Column::Date,
            Column::Programme,
            Column::Channel,
            Column::Kind,
        ]
        .map(data),
    );
    let fixed = |cols: &[(Col, u16)], extra: u16| -> u16 {
        cols.iter().map(|c| c.1).sum::<u16>() + cols.len() as u16 + extra
    };
    let rest = width.saturating_sub(fixed(&cols, 1));
    let partners = (rest / 3).clamp(8, 40);
    if rest >= partners + TITLE_MIN {
        cols.push((Col::Data(Column::Title), rest - partners));
        cols.push((Col::Data(Column::Partners), partners));
        return cols;
    }
    if rest + 1 >= TITLE_MIN {
        // Title and id, partners read in the detail pane.
        cols.push((Col::Data(Column::Title), rest + 1));
        return cols;
    }
    cols.retain(|c| c.0 != Col::Data(Column::Id));
    // Title and partners share the rest; partners go first when space is short, then kind.
    let mut rest = width.saturating_sub(fixed(&cols, 1));
    if rest < 28 {
        cols.retain(|c| c.0 != Col::Data(Column::Kind) || rest + 10 >= 28);
        rest = width.saturating_sub(fixed(&cols, 0));
        cols.push((Col::Data(Column::Title), rest));
        return cols;
    }
    let partners = (rest / 3).clamp(8, 40);
    cols.push((Col::Data(Column::Title), rest - partners));
    cols.push((Col::Data(Column::Partners), partners));
    cols
}

/// The sort key of the column heading at column `x` of the table `area`.
pub fn column_at(area: Rect, x: u16, chosen: &[Column]) -> Option<SortKey> {
    let mut left = area.x;
    for (col, w) in columns(area.width, chosen) {
        if (left..left + w + 1).contains(&x) {
            return col.sort_key();
        }
        left += w + 1;
    }
    None
}

/// Rows a programme card takes, borders included.
pub const CARD_HEIGHT: u16 = 16;

/// Cards per row at a terminal `width`: two (CSS beside ILRS), three when wide.
pub fn card_columns(width: u16) -> usize {
    if width >= 150 {
        3
    } else {
        2
    }
}

/// Card rows that fit in `height`.
pub fn card_rows(height: u16) -> usize {
    usize::from(height / CARD_HEIGHT).max(1)
}

/// The height of each card in a grid `height` rows high: the rows that fit share the room (one
/// line kept for the note that more cards follow), so that no blank rows stand under them and
/// a card has room for its whole partner list.
pub fn card_height(height: u16) -> u16 {
    let rows = card_rows(height) as u16;
    if rows * CARD_HEIGHT < height {
        ((height - 1) / rows).max(CARD_HEIGHT)
    } else {
        CARD_HEIGHT.min(height)
    }
}

/// The rectangle of the card in row `slot_row` (of those shown) and column `col`.
pub fn card_rect(area: Rect, cols: usize, slot_row: usize, col: usize) -> Rect {
    let w = area.width / cols as u16;
    let x = area.x + w * col as u16;
    let width = if col + 1 == cols { area.right() - x } else { w };
    let height = card_height(area.height);
    Rect {
        x,
        y: area.y + height * slot_row as u16,
        width,
        height,
    }
}

/// The card at (x, y) of the grid `area` on a terminal `screen_width` wide, scrolled to card
/// row `offset`, with `cards` cards in all.
pub fn card_at(
    area: Rect,
    screen_width: u16,
    offset: usize,
    cards: usize,
    (x, y): (u16, u16),
) -> Option<usize> {
    let cols = card_columns(screen_width);
    let w = (area.width / cols as u16).max(1);
    let col = (usize::from(x.saturating_sub(area.x) / w)).min(cols - 1);
    let row = usize::from(y.saturating_sub(area.y) / card_height(area.height));
    let i = (offset + row) * cols + col;
    (row < card_rows(area.height) && i < cards).then_some(i)
}

/// A centred overlay's frame on a terminal of `size`, at most `max_width` wide.
pub fn popup(size: (u16, u16), max_width: u16) -> Rect {
    let w = size.0.min(max_width);
    Rect {
        x: size.0.saturating_sub(w) / 2,
        y: 1,
        width: w,
        height: size.1.saturating_sub(2),
    }
}

/// The text area inside an overlay's frame.
pub fn popup_inner(size: (u16, u16), max_width: u16) -> Rect {
    Block::new()
        .borders(Borders::ALL)
        .inner(popup(size, max_width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_and_drop_when_narrow() {
        for w in [50u16, 52, 60, 80, 100, 109, 110, 126, 160] {
            let cols = columns(w, &[]);
            let used: u16 = cols.iter().map(|c| c.1).sum::<u16>() + cols.len() as u16 - 1;
            assert!(used <= w, "{w}: {used}");
            let title = cols
                .iter()
                .find(|c| c.0 == Col::Data(Column::Title))
                .unwrap()
                .1;
            assert!(title >= 16, "{w}: title {title}");
        }
        let has = |w: u16, c: Column| columns(w, &[]).iter().any(|x| x.0 == Col::Data(c));
        assert!(!has(50, Column::Partners));
        assert!(has(126, Column::Id));
        // The id shows wherever the title keeps 28 columns beside it, partners giving way
        // first (80 columns, or 86 beside the facet panel at 120).
        assert!(has(80, Column::Id) && !has(80, Column::Partners));
        assert!(has(86, Column::Id));
        assert!(has(100, Column::Id) && has(100, Column::Partners));
        assert!(!has(60, Column::Id));
    }

    #[test]
    fn headings_sort_by_their_column() {
        let area = Rect::new(0, 0, 80, 10);
        // Marker (1), id (8), date (10), programme (8), one space between.
        assert_eq!(column_at(area, 0, &[]), None);
        assert_eq!(column_at(area, 3, &[]), Some(SortKey::Id));
        assert_eq!(column_at(area, 12, &[]), Some(SortKey::Date));
        assert_eq!(column_at(area, 22, &[]), Some(SortKey::Programme));
        let chosen = [Column::Title, Column::Id];
        assert_eq!(column_at(area, 3, &chosen), Some(SortKey::Title));
        assert_eq!(column_at(area, 75, &chosen), Some(SortKey::Id));
    }

    #[test]
    fn chosen_columns_keep_their_order_and_give_way_from_the_right() {
        let cols = columns(80, &[Column::Title, Column::Date, Column::Id]);
        let order: Vec<Col> = cols.iter().map(|c| c.0).collect();
        assert_eq!(
            order,
            [
                Col::Marker,
                Col::Data(Column::Title),
                Col::Data(Column::Date),
                Col::Data(Column::Id)
            ]
        );
        let used: u16 = cols.iter().map(|c| c.1).sum::<u16>() + cols.len() as u16 - 1;
        assert_eq!(used, 80);
        // Too many for a narrow table: the last ones go, the first stays.
        let all: Vec<Column> = Column::ALL.to_vec();
        let narrow = columns(40, &all);
        assert_eq!(narrow[1].0, Col::Data(Column::Id));
        assert!(narrow.len() < all.len() + 1);
        // Only coded columns: the last takes the rest of the width.
        let coded = columns(60, &[Column::Id, Column::Date]);
        assert_eq!(coded.iter().map(|c| c.1).sum::<u16>() + 2, 60);
    }

    #[test]
    fn tabs_and_cards_are_found_where_they_are_drawn() {
        assert_eq!(tab_at(0), None);
        assert_eq!(tab_at(width(BRAND) as u16 + 1), Some(View::Events));
        assert!(search_start() > width(BRAND) as u16);
        let grid = Rect::new(0, 1, 100, 40);
        assert_eq!(card_at(grid, 100, 0, 5, (0, 1)), Some(0));
        assert_eq!(card_at(grid, 100, 0, 5, (60, 1)), Some(1));
        let h = card_height(grid.height);
        assert_eq!(card_at(grid, 100, 1, 5, (0, 1 + h)), Some(4));
        assert_eq!(card_at(grid, 100, 1, 5, (60, 1 + h)), None);
        // Rows share the room: 40 lines hold two cards of 19 and the note.
        assert_eq!((card_rows(40), card_height(40)), (2, 19));
        assert_eq!((card_rows(22), card_height(22)), (1, 21));
        assert_eq!((card_rows(32), card_height(32)), (2, 16));
        assert_eq!(card_height(10), 10);
    }
}
