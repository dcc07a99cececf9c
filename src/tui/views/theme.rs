//! Colours and emphasis. Every channel has a colour *and* a glyph, so nothing rests on colour
//! alone; with `NO_COLOR` set (non-empty) no colour is used at all, only bold, underline and
//! reverse video.

use std::ffi::OsStr;

use ratatui::style::{Color, Modifier, Style};

use crate::domain::{Channel, ChannelFilter};

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    colour: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (no-color.org).
    pub fn from_env() -> Theme {
        Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a value of `NO_COLOR` (`None` when unset): colours unless it is set and
    /// not empty. Apart from [`Theme::from_env`] so that tests can decide without changing
    /// the environment of a process whose tests run in parallel.
    pub fn for_no_color(value: Option<&OsStr>) -> Theme {
        Theme {
            colour: value.is_none_or(|v| v.is_empty()),
        }
    }

    /// The colour theme.
    pub fn colour() -> Theme {
        Theme { colour: true }
    }

    /// The theme without colours.
    pub fn plain() -> Theme {
        Theme { colour: false }
    }

    fn fg(self, c: Color) -> Style {
        if self.colour {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// A channel's colour.
    pub fn channel(self, c: Channel) -> Style {
        self.fg(match c {
            Channel::UnMultilateral => Color::Cyan,
            Channel::Multilateral => Color::Blue,
            Channel::Bilateral => Color::Yellow,
            Channel::National => Color::Magenta,
        })
    }

    /// A channel cut's colour (its narrowest stored channel).
    pub fn cut(self, c: ChannelFilter) -> Style {
        match c {
            ChannelFilter::Multilateral => self.fg(Color::Blue),
            ChannelFilter::Un => self.channel(Channel::UnMultilateral),
            ChannelFilter::Bilateral => self.channel(Channel::Bilateral),
            ChannelFilter::National => self.channel(Channel::National),
        }
    }

    /// Matched characters of a search.
    pub fn matched(self) -> Style {
        self.fg(Color::LightRed)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The selected row or card.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Column headers and section titles.
    pub fn heading(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Labels and secondary text.
    pub fn dim(self) -> Style {
        if self.colour {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// A focused panel's border.
    pub fn focus(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// An active filter value.
    pub fn active(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Error messages.
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// The header and status bars.
    pub fn bar(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The active tab: out of the bar's reverse video.
    pub fn bar_active(self) -> Style {
        self.fg(Color::Green)
            .remove_modifier(Modifier::REVERSED)
            .add_modifier(Modifier::BOLD)
    }

    /// The bars' emphasised parts.
    pub fn bar_strong(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
}

/// A short channel label for narrow columns.
pub fn channel_short(c: Channel) -> &'static str {
    c.short()
}

/// The glyph of a channel cut.
pub fn cut_glyph(c: ChannelFilter) -> char {
    match c {
        ChannelFilter::Multilateral => Channel::Multilateral.glyph(),
        ChannelFilter::Un => Channel::UnMultilateral.glyph(),
        ChannelFilter::Bilateral => Channel::Bilateral.glyph(),
        ChannelFilter::National => Channel::National.glyph(),
    }
}
