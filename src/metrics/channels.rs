//! The channel mix of a programme: how its events split between the UN, other multilateral,
//! bilateral and national channels.
//!
//! With N the number of events of programme p up to year t and N_c those in channel c:
//!
//! - un_share = N_un_multilateral / N
//! - multilateral_share = (N_un_multilateral + N_multilateral) / N (both multilateral values,
//!   as the `multilateral` filter takes them; it includes the UN share)
//! - bilateral_share = N_bilateral / N
//! - national_share = N_national / N
//!
//! so that multilateral_share + bilateral_share + national_share = 1. Every share is undefined
//! (`None`) when N = 0. Channels are coded per event (see the README's coding rules); an
//! agreement of a sub-state institution is bilateral, and a signing at a multilateral venue
//! stays bilateral.

use serde::Serialize;

use crate::domain::{Catalog, Channel, Event};

/// Events per channel over some set of events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChannelMix {
    pub events: usize,
    pub un_multilateral: usize,
    /// Non-UN multilateral events (the stored value `multilateral`).
    pub multilateral: usize,
    pub bilateral: usize,
    pub national: usize,
}

impl ChannelMix {
    /// Counts the channels of `events`.
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> ChannelMix {
        let mut c = ChannelMix::default();
        for e in events {
            c.count(e.channel, 1);
        }
        c
    }

    /// The events of `channel`.
    pub fn of_channel(&self, channel: Channel) -> usize {
        match channel {
            Channel::UnMultilateral => self.un_multilateral,
            Channel::Multilateral => self.multilateral,
            Channel::Bilateral => self.bilateral,
            Channel::National => self.national,
        }
    }

    /// Adds `n` events of `channel`.
    pub fn count(&mut self, channel: Channel, n: usize) {
        self.events += n;
        *match channel {
            Channel::UnMultilateral => &mut self.un_multilateral,
            Channel::Multilateral => &mut self.multilateral,
            Channel::Bilateral => &mut self.bilateral,
            Channel::National => &mut self.national,
        } += n;
    }

    fn share(&self, k: usize) -> Option<f64> {
        (self.events > 0).then(|| k as f64 / self.events as f64)
    }

    /// N_un_multilateral / N.
    pub fn un_share(&self) -> Option<f64> {
        self.share(self.un_multilateral)
    }

    /// (N_un_multilateral + N_multilateral) / N.
    pub fn multilateral_share(&self) -> Option<f64> {
        self.share(self.un_multilateral + self.multilateral)
    }

    /// N_bilateral / N.
    pub fn bilateral_share(&self) -> Option<f64> {
        self.share(self.bilateral)
    }

    /// N_national / N.
    pub fn national_share(&self) -> Option<f64> {
        self.share(self.national)
    }
}

/// Events per channel for one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelCounts {
    pub programme: String,
    pub name: String,
    pub events: usize,
    pub un_multilateral: usize,
    /// Multilateral events without the UN (the stored channel `multilateral`): named apart
    /// from "multilateral", which elsewhere includes the UN.
    pub other_multilateral: usize,
    pub bilateral: usize,
    pub national: usize,
}

/// Counts events per programme and channel, for every programme of the catalog (those with
/// no selected event included, with zeros), in the catalog's order.
pub fn channel_counts(events: &[Event], catalog: &Catalog) -> Vec<ChannelCounts> {
    counts_with(catalog, |p| {
        ChannelMix::of(events.iter().filter(|e| e.programme == p))
    })
}

/// Counts per programme of the catalog, in its order, from each programme's mix.
pub(crate) fn counts_with(
    catalog: &Catalog,
    mix_of: impl Fn(&str) -> ChannelMix,
) -> Vec<ChannelCounts> {
    catalog
        .programmes
        .iter()
        .map(|p| {
            let c = mix_of(&p.id);
            ChannelCounts {
                programme: p.id.clone(),
                name: p.name.clone(),
                events: c.events,
                un_multilateral: c.un_multilateral,
                other_multilateral: c.multilateral,
                bilateral: c.bilateral,
                national: c.national,
            }
        })
        .collect()
}

/// The events of one programme that *start* in each year from `first` to `last` (not
/// cumulative) and that the default coding rules count (cooperation): the bars of a per-year
/// channel chart, adding up to the measures' event count.
pub fn per_year(
    events: &[Event],
    programme: &str,
    first: i32,
    last: i32,
) -> Vec<(i32, ChannelMix)> {
    (first..=last)
        .map(|y| {
            let mix = ChannelMix::of(events.iter().filter(|e| {
                e.programme == programme
                    && e.date.year_value() == y
                    && super::rules::Rules::DEFAULT.admits(e)
            }));
            (y, mix)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::event;

    #[test]
    fn shares_split_the_events_by_channel() {
        use Channel::*;
        let events: Vec<Event> = [UnMultilateral, UnMultilateral, Multilateral, Bilateral]
            .into_iter()
            .chain([Bilateral, Bilateral, National, National])
            .enumerate()
            .map(|(i, c)| event(&format!("E{i}"), "2020", "P", c, &[]))
            .collect();
        let mix = ChannelMix::of(&events);
        // N = 8: un 2/8 = 0.25; multilateral (2 + 1)/8 = 0.375; bilateral 3/8 = 0.375;
        // national 2/8 = 0.25; multilateral + bilateral + national = 1.
        assert_eq!(mix.events, 8);
        assert_eq!(mix.un_share(), Some(0.25));
        assert_eq!(mix.multilateral_share(), Some(0.375));
        assert_eq!(mix.bilateral_share(), Some(0.375));
        assert_eq!(mix.national_share(), Some(0.25));
    }

    #[test]
    fn shares_of_no_events_are_undefined() {
        let mix = ChannelMix::of(&[]);
        assert_eq!(mix.events, 0);
        assert_eq!(mix.un_share(), None);
        assert_eq!(mix.multilateral_share(), None);
    }

    #[test]
    fn per_year_counts_events_starting_in_each_year() {
        let events = vec![
            event("A", "2019-06", "P", Channel::UnMultilateral, &[]),
            event("B", "2021", "P", Channel::Bilateral, &[]),
            event("C", "2021-03-01", "P", Channel::Bilateral, &[]),
            event("D", "2021", "Q", Channel::National, &[]),
        ];
        let years = per_year(&events, "P", 2019, 2021);
        let counts: Vec<(i32, usize, usize)> = years
            .iter()
            .map(|(y, m)| (*y, m.un_multilateral, m.bilateral))
            .collect();
        assert_eq!(counts, [(2019, 1, 0), (2020, 0, 0), (2021, 0, 2)]);
    }
}
