//! Comparative measures over plain events: channel counts per programme (and, as the
//! analytics grow, density, networks and embeddedness). No SQLite, no terminal.

use serde::Serialize;

use crate::domain::{Catalog, Channel, Event};

/// Events per channel for one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelCounts {
    pub programme: String,
    pub name: String,
    pub events: usize,
    pub un_multilateral: usize,
    pub multilateral: usize,
    pub bilateral: usize,
    pub national: usize,
}

/// Counts events per programme and channel, for every programme of the catalog (those with
/// no selected event included, with zeros), in the catalog's order.
pub fn channel_counts(events: &[Event], catalog: &Catalog) -> Vec<ChannelCounts> {
    catalog
        .programmes
        .iter()
        .map(|p| {
            let mut c = ChannelCounts {
                programme: p.id.clone(),
                name: p.name.clone(),
                events: 0,
                un_multilateral: 0,
                multilateral: 0,
                bilateral: 0,
                national: 0,
            };
            for e in events.iter().filter(|e| e.programme == p.id) {
                c.events += 1;
                *match e.channel {
                    Channel::UnMultilateral => &mut c.un_multilateral,
                    Channel::Multilateral => &mut c.multilateral,
                    Channel::Bilateral => &mut c.bilateral,
                    Channel::National => &mut c.national,
                } += 1;
            }
            c
        })
        .collect()
}
