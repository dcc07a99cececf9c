//! A scrolling overlay centred over the screen: the frame, its title, the closing hint and the
//! visible slice of its lines. The formula overlay and the institutions list share it.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use crate::tui::layout::{popup, popup_inner, Extent};

/// What an overlay draws: its title, the key that closes it, and its lines.
pub struct Overlay<'a> {
    pub title: &'a str,
    pub closes: &'a str,
    pub max_width: u16,
    pub lines: Vec<Line<'static>>,
    pub scroll: usize,
}

/// Draws `o` over `area`, scrolled to at most its last page, saying when more lies below;
/// returns how far it can scroll (`None` when too small to draw).
pub fn render(frame: &mut Frame, area: Rect, o: Overlay<'_>, t: Theme) -> Option<Extent> {
    let size = (area.width, area.height);
    let frame_area = popup(size, o.max_width);
    let body = popup_inner(size, o.max_width);
    if body.width < 10 || body.height < 3 {
        return None;
    }
    let height = usize::from(body.height);
    let extent = Extent::of(o.lines.len(), height);
    let scroll = o.scroll.min(o.lines.len().saturating_sub(height));
    let more = if scroll + height < o.lines.len() {
        " · j/k or ↓ for more"
    } else {
        ""
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.focus())
        .title(Line::styled(format!(" {} ", o.title), t.heading()))
        .title_bottom(Line::styled(
            format!(" {} closes{more} ", o.closes),
            t.dim(),
        ));
    frame.render_widget(Clear, frame_area);
    frame.render_widget(block, frame_area);
    let shown: Vec<Line> = o.lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), body);
    Some(extent)
}
