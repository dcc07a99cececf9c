//! Drawing: one function per part of the screen, each reading `&App` and nothing else.

pub(crate) mod claims;
pub(crate) mod compare;
pub(crate) mod detail;
pub(crate) mod dialogs;
pub(crate) mod export_dialog;
pub(crate) mod facets;
pub(crate) mod figures;
pub(crate) mod fit;
pub(crate) mod form;
pub(crate) mod formulas;
pub(crate) mod header;
pub(crate) mod help;
pub(crate) mod institutions;
pub(crate) mod links;
pub(crate) mod overlay;
pub(crate) mod programmes;
pub(crate) mod status;
pub(crate) mod table;
pub mod theme;

use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::app::App;
use super::layout::{Drawn, MIN_SIZE};

/// Draws the whole screen; returns what it drew of the scrollable parts, which the app
/// clamps its scroll positions to.
pub fn render(frame: &mut Frame, app: &App) -> Drawn {
    let area = frame.area();
    let areas = app.areas_in(area);
    let mut drawn = Drawn::default();
    if areas.too_small {
        let msg = format!(
            "spacedip needs at least {}×{} (now {}×{}); enlarge the terminal or press q",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(Line::styled(msg, app.theme.error()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return drawn;
    }
    header::render(frame, areas.header, app);
    if let Some(r) = areas.facets {
        facets::render(frame, r, app);
    }
    if let Some(r) = areas.table {
        table::render(frame, r, app);
    }
    if let Some(r) = areas.detail {
        drawn.detail = Some(detail::render(frame, r, app));
    }
    if let Some(r) = areas.cards {
        programmes::render(frame, r, app);
    }
    if let Some(r) = areas.compare {
        drawn.compare = Some(compare::render(frame, r, app));
    }
    status::render(frame, areas.status, app);
    if app.compare.formulas {
        drawn.formulas = formulas::render(frame, area, app);
    } else if app.compare.institutions.is_some() {
        drawn.institutions = institutions::render(frame, area, app);
    }
    export_dialog::render(frame, area, app);
    dialogs::render(frame, area, app);
    if app.help {
        help::render(frame, area, app.mode_under_help(), app.theme);
    }
    drawn
}
