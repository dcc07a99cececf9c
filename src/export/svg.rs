//! An SVG timeline picture: one lane per programme, a year axis at the top and the bottom,
//! one mark per event whose colour *and* shape show the channel (the glyphs of
//! [`Channel::glyph`]: ◆ UN multilateral, ■ multilateral, ▲ bilateral, ● national), and a
//! legend.
//!
//! Made for a page 1200 px wide and for greyscale print: the four colours (Okabe–Ito, safe
//! for colour-blind readers) also differ in lightness, and the shapes alone tell the channels
//! apart. Within a lane each event's mark and label share a row, and rows are packed greedily
//! so that no two labels (or date spans) overlap. A grey bar under a mark shows the period a
//! month- or year-precision date, or a dated span, covers. All text is XML-escaped.

use std::io::Write;

use super::escape::{html as xml, one_line};
use super::prose::{programme_name, selection_summary, span};
use super::svg_layout::{pack_rows, shorten, text_width, wrap, Scale};
use super::{Options, Selection};
use crate::domain::{Channel, Event};
use crate::error::Result;

/// The page width unless `--width` says otherwise.
pub const DEFAULT_WIDTH: u32 = 1200;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 24.0;
const ROW: f64 = 18.0;
const LABEL_PX: f64 = 11.0;
/// Event labels take at most this many characters on the default width…
const LABEL_CHARS: usize = 40;
/// …and more on a wider picture, up to this many (the full title is the mark's tooltip).
const LABEL_CHARS_MAX: usize = 120;
const GAP: f64 = 8.0;
const MIN_LANE: f64 = 40.0;
/// The programme's name under its id in the left margin: lines of this many characters (about
/// the margin's width at 10 px), at most this many, this far apart.
const NAME_CHARS: usize = 26;
const NAME_LINES: usize = 3;
const NAME_LINE: f64 = 12.0;

/// The channel's fill colour (Okabe–Ito), from darkest to lightest in greyscale.
pub fn colour(c: Channel) -> &'static str {
    match c {
        Channel::UnMultilateral => "#0072B2",
        Channel::Multilateral => "#009E73",
        Channel::Bilateral => "#E69F00",
        Channel::National => "#F0E442",
    }
}

/// The mark of one channel centred on (x, y), as an SVG shape element.
fn shape(c: Channel, x: f64, y: f64, extra: &str) -> String {
    let style = format!(
        "fill=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1\"{extra}",
        colour(c)
    );
    match c {
        Channel::UnMultilateral => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {style}/>",
            x,
            y - 6.5,
            x + 6.5,
            y,
            x,
            y + 6.5,
            x - 6.5,
            y
        ),
        Channel::Multilateral => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" {style}/>",
            x - 5.0,
            y - 5.0
        ),
        Channel::Bilateral => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {style}/>",
            x,
            y - 6.5,
            x + 6.5,
            y + 5.0,
            x - 6.5,
            y + 5.0
        ),
        Channel::National => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\" {style}/>"),
    }
}

/// One event placed in its lane.
struct Placed<'a> {
    event: &'a Event,
    x: f64,
    bar: Option<(f64, f64)>,
    label: String,
    /// Where the label is anchored: its start, or its end when it goes left of the mark
    /// (because it would run off the right edge). Clear of the mark and of the date bar.
    label_x: f64,
    left: bool,
    row: usize,
}

impl Placed<'_> {
    /// The horizontal extent of the mark, its bar and its label.
    fn extent(&self) -> (f64, f64) {
        let w = text_width(&self.label, LABEL_PX);
        let (a, b) = self.bar.unwrap_or((self.x, self.x));
        if self.left {
            ((self.label_x - w).min(a), (self.x + 7.0).max(b))
        } else {
            ((self.x - 7.0).min(a), (self.label_x + w).max(b))
        }
    }
}

/// A programme's lane: its events placed in rows.
struct Lane<'a> {
    programme: &'a str,
    /// The programme's name, wrapped to the left margin.
    name_lines: Vec<String>,
    events: Vec<Placed<'a>>,
    height: f64,
}

/// How many characters an event's label may take on a picture `width` wide: one per 25 px of
/// the plotting width (40 on the default width, where labels of neighbouring events still
/// share rows), never fewer.
fn label_chars(width: f64) -> usize {
    let plot = (width - LEFT - RIGHT).max(0.0);
    let chars = (plot / 25.0) as usize;
    chars.clamp(LABEL_CHARS, LABEL_CHARS_MAX)
}

fn lanes<'a>(sel: Selection<'a>, scale: &Scale, width: f64) -> Vec<Lane<'a>> {
    let mut lanes: Vec<Lane<'a>> = Vec::new();
    let label_max = label_chars(width);
    for e in sel.events {
        let first = scale.x(e.date.first_day());
        let end = scale.x(e
            .last_date()
            .last_day()
            .succ_opt()
            .unwrap_or(e.date.last_day()));
        let own_end = scale.x(e.date.last_day().succ_opt().unwrap_or(e.date.last_day()));
        let x = (first + own_end) / 2.0;
        let bar = (end - first >= 3.0).then_some((first, end));
        let label = shorten(&one_line(&format!("{} {}", e.id, e.title)), label_max);
        let (a, b) = bar.unwrap_or((x, x));
        let right_x = (x + 9.0).max(b + 4.0);
        let left = right_x + text_width(&label, LABEL_PX) > width - 4.0;
        let label_x = if left {
            (x - 9.0).min(a - 4.0)
        } else {
            right_x
        };
        let placed = Placed {
            event: e,
            x,
            bar,
            label,
            label_x,
            left,
            row: 0,
        };
        match lanes.iter_mut().find(|l| l.programme == e.programme) {
            Some(l) => l.events.push(placed),
            None => lanes.push(Lane {
                programme: &e.programme,
                name_lines: wrap(
                    &one_line(programme_name(e, sel.catalog)),
                    NAME_CHARS,
                    NAME_LINES,
                ),
                events: vec![placed],
                height: 0.0,
            }),
        }
    }
    for lane in &mut lanes {
        lane.events.sort_by(|a, b| {
            a.x.total_cmp(&b.x)
                .then_with(|| a.event.id.cmp(&b.event.id))
        });
        let intervals: Vec<(f64, f64)> = lane.events.iter().map(Placed::extent).collect();
        let (rows, n) = pack_rows(&intervals, GAP);
        for (p, r) in lane.events.iter_mut().zip(rows) {
            p.row = r;
        }
        // Room for the name's lines under the id, as for the event rows.
        let name = 31.0 + NAME_LINE * lane.name_lines.len().saturating_sub(1) as f64 + 9.0;
        lane.height = (n as f64 * ROW + 10.0).max(MIN_LANE).max(name);
    }
    lanes
}

fn legend(out: &mut dyn Write, y: f64) -> Result<()> {
    let mut x = LEFT;
    writeln!(out, "<g class=\"legend\" font-size=\"12\">")?;
    for c in Channel::ALL {
        writeln!(out, "  {}", shape(*c, x + 6.0, y - 4.0, ""))?;
        writeln!(
            out,
            "  <text x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            x + 16.0,
            xml(c.label())
        )?;
        x += 26.0 + text_width(c.label(), 12.0);
    }
    writeln!(
        out,
        "  <rect x=\"{x:.1}\" y=\"{:.1}\" width=\"28\" height=\"4\" fill=\"#9a9a9a\"/>",
        y - 6.0
    )?;
    writeln!(
        out,
        "  <text x=\"{:.1}\" y=\"{y:.1}\">period covered by a month- or year-precision date or a span</text>",
        x + 34.0
    )?;
    writeln!(out, "</g>")?;
    Ok(())
}

fn axis(out: &mut dyn Write, scale: &Scale, y: f64, top: bool, width: f64) -> Result<()> {
    let (label_y, tick) = if top { (y - 6.0, y) } else { (y + 16.0, y) };
    writeln!(out, "<g class=\"axis\" font-size=\"11\" fill=\"#333\">")?;
    writeln!(
        out,
        "  <line x1=\"{LEFT:.1}\" y1=\"{tick:.1}\" x2=\"{:.1}\" y2=\"{tick:.1}\" stroke=\"#555\"/>",
        width - RIGHT
    )?;
    for (year, x) in scale.ticks(48.0) {
        writeln!(
            out,
            "  <text x=\"{x:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\">{year}</text>"
        )?;
    }
    writeln!(out, "</g>")?;
    Ok(())
}

/// Writes the selection as an SVG document `options.svg_width` px wide.
pub fn write(sel: Selection<'_>, options: &Options, out: &mut dyn Write) -> Result<()> {
    let width = f64::from(options.svg_width);
    let mut subtitle = selection_summary(sel.events);
    if !options.scope.is_empty() {
        subtitle.push_str(&format!(" · {}", options.scope));
    }
    let first = sel.events.iter().map(|e| e.date.first_day()).min();
    let last = sel.events.iter().map(|e| e.last_date().last_day()).max();
    let scale = match (first, last) {
        (Some(a), Some(b)) => Some(Scale::years(a, b, LEFT, width - LEFT - RIGHT)),
        _ => None,
    };
    let lanes = scale
        .as_ref()
        .map(|s| lanes(sel, s, width))
        .unwrap_or_default();
    let axis_top = 104.0;
    let lanes_height: f64 = lanes.iter().map(|l| l.height).sum();
    let height = if scale.is_some() {
        axis_top + 8.0 + lanes_height + 40.0
    } else {
        150.0
    };
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" role=\"img\" aria-labelledby=\"svg-title svg-desc\">"
    )?;
    writeln!(
        out,
        "<title id=\"svg-title\">Space-cooperation events by programme and channel</title>"
    )?;
    writeln!(
        out,
        "<desc id=\"svg-desc\">{}</desc>",
        xml(&one_line(&subtitle))
    )?;
    writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    )?;
    writeln!(
        out,
        "<text x=\"24\" y=\"32\" font-size=\"20\" font-weight=\"bold\">Space-cooperation events by programme and channel</text>"
    )?;
    writeln!(
        out,
        "<text x=\"24\" y=\"54\" font-size=\"13\" fill=\"#333\">{}</text>",
        xml(&one_line(&subtitle))
    )?;
    legend(out, 80.0)?;
    let Some(scale) = scale else {
        writeln!(
            out,
            "<text x=\"24\" y=\"124\" font-size=\"14\">No events matched the selection.</text>"
        )?;
        writeln!(out, "</svg>")?;
        return Ok(());
    };
    let bottom = axis_top + 8.0 + lanes_height;
    writeln!(out, "<g class=\"grid\" stroke=\"#dddddd\">")?;
    for (_, x) in scale.ticks(48.0) {
        writeln!(
            out,
            "  <line x1=\"{x:.1}\" y1=\"{axis_top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\"/>"
        )?;
    }
    writeln!(out, "</g>")?;
    axis(out, &scale, axis_top, true, width)?;
    let mut y = axis_top + 8.0;
    for (i, lane) in lanes.iter().enumerate() {
        writeln!(
            out,
            "<g class=\"lane\" data-programme=\"{}\">",
            xml(lane.programme)
        )?;
        if i % 2 == 0 {
            writeln!(
                out,
                "  <rect x=\"0\" y=\"{y:.1}\" width=\"{width:.0}\" height=\"{:.1}\" fill=\"#f3f3f3\"/>",
                lane.height
            )?;
        }
        writeln!(
            out,
            "  <text x=\"12\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>",
            y + 17.0,
            xml(&one_line(lane.programme))
        )?;
        for (i, line) in lane.name_lines.iter().enumerate() {
            writeln!(
                out,
                "  <text x=\"12\" y=\"{:.1}\" font-size=\"10\" fill=\"#444\">{}</text>",
                y + 31.0 + NAME_LINE * i as f64,
                xml(line)
            )?;
        }
        for p in &lane.events {
            let cy = y + 5.0 + ROW * p.row as f64 + ROW / 2.0;
            let e = p.event;
            let tip = format!(
                "{} · {} · {} · {}",
                e.id,
                span(e),
                e.channel.label(),
                e.title
            );
            writeln!(
                out,
                "  <g class=\"event\" data-id=\"{}\" data-channel=\"{}\">",
                xml(&e.id),
                e.channel.as_str()
            )?;
            writeln!(out, "    <title>{}</title>", xml(&one_line(&tip)))?;
            if let Some((a, b)) = p.bar {
                writeln!(
                    out,
                    "    <rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"#9a9a9a\"/>",
                    cy - 2.0,
                    b - a
                )?;
            }
            writeln!(out, "    {}", shape(e.channel, p.x, cy, " class=\"mark\""))?;
            let anchor = if p.left { " text-anchor=\"end\"" } else { "" };
            let tx = p.label_x;
            writeln!(
                out,
                "    <text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"{LABEL_PX:.0}\"{anchor}>{}</text>",
                cy + 4.0,
                xml(&p.label)
            )?;
            writeln!(out, "  </g>")?;
        }
        writeln!(out, "</g>")?;
        y += lane.height;
    }
    axis(out, &scale, bottom, false, width)?;
    writeln!(out, "</svg>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Catalog;

    #[test]
    fn wider_pictures_give_labels_more_room() {
        assert_eq!(label_chars(f64::from(DEFAULT_WIDTH)), LABEL_CHARS);
        assert_eq!(label_chars(600.0), LABEL_CHARS);
        let wide = label_chars(3000.0);
        assert!(wide > 100 && wide <= LABEL_CHARS_MAX, "{wide}");
        assert_eq!(label_chars(10_000.0), LABEL_CHARS_MAX);
    }

    #[test]
    fn labels_marks_and_bars_never_overlap_in_a_row() {
        let data = crate::seed::dataset().unwrap();
        let catalog = Catalog::new(
            data.programmes,
            data.actors,
            data.institutions,
            data.memberships,
            data.sources,
        );
        let sel = Selection {
            events: &data.events,
            catalog: &catalog,
        };
        let first = data
            .events
            .iter()
            .map(|e| e.date.first_day())
            .min()
            .unwrap();
        let last = data
            .events
            .iter()
            .map(|e| e.last_date().last_day())
            .max()
            .unwrap();
        let width = f64::from(DEFAULT_WIDTH);
        let scale = Scale::years(first, last, LEFT, width - LEFT - RIGHT);
        let lanes = lanes(sel, &scale, width);
        let placed: usize = lanes.iter().map(|l| l.events.len()).sum();
        assert_eq!(placed, data.events.len());
        for lane in &lanes {
            for (i, a) in lane.events.iter().enumerate() {
                let (a0, a1) = a.extent();
                assert!(a0 >= 0.0 && a1 <= width, "{} off the page", a.event.id);
                if let Some((_, bar_end)) = a.bar.filter(|_| !a.left) {
                    assert!(a.label_x >= bar_end, "{} label over its bar", a.event.id);
                }
                for b in &lane.events[i + 1..] {
                    if a.row == b.row {
                        let (b0, b1) = b.extent();
                        assert!(
                            a1 + GAP <= b0 || b1 + GAP <= a0,
                            "{} and {}",
                            a.event.id,
                            b.event.id
                        );
                    }
                }
            }
        }
    }
}
