//! Where each part of the screen goes. A pure function of the terminal size and the app
//! state, used by the views to draw and by the app for page sizes and mouse hits.

use ratatui::layout::Rect;

use crate::tui::app::{App, Focus, View};

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

/// Splits `area` for `app`.
///
/// The events view shows the table; the facet panel on its left when focused or when the
/// terminal is wide; the detail pane under the table when the terminal is tall, or instead
/// of the table when it is focused in a short terminal.
pub fn areas(area: Rect, app: &App) -> Areas {
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
    if app.view == View::Programmes {
        out.cards = Some(body);
        return out;
    }
    if app.view == View::Compare {
        out.compare = Some(body);
        return out;
    }
    let mut rest = body;
    if app.focus == Focus::Facets || area.width >= WIDE {
        let w = if area.width >= WIDE { 34 } else { 30 };
        out.facets = Some(Rect { width: w, ..body });
        rest = Rect {
            x: body.x + w,
            width: body.width - w,
            ..body
        };
    }
    let tall = rest.height >= TALL_BODY;
    if app.focus == Focus::Detail && !tall {
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
