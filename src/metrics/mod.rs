//! Comparative measures over plain events and the catalog: channel mix, partners, partner
//! network density and centralisation, issue-area institutional density and dyadic
//! embeddedness, per programme and year. No SQLite, no terminal.
//!
//! Each file documents its formulas; the README's "Methods" section states them for readers:
//! - [`channels`]: channel counts and shares.
//! - [`partners`]: which actors are the lead, foreign states, organisations or institutions.
//! - [`network`]: the partner network, Δ = 2m/(n(n−1)) and Freeman centralisation.
//! - [`claims`]: the article's claims on a pair, each under several specifications, with verdicts.
//! - [`decision`]: density at each programme's decision year t*, under named specifications.
//! - [`density`]: issue-area density D(p,t) and its membership-weighted variant.
//! - [`embeddedness`]: E(p,t), institutions shared by the lead state and each partner.
//! - [`rules`]: which events and parties the measures count (cooperation, confirmed).
//! - [`summary`]: every measure of one programme at one year, and the year conventions.
//! - [`tally`]: the whole-record measures' inputs read out of the database's running sums.
//! - [`graph`]: the partner network with node and edge attributes, for GraphML and GEXF.
//! - [`formulas`]: each measure's formula, meaning and limits, for screens that explain them.
//! - [`overlap`]: reading the next programme's tally while the last one is measured.

pub mod channels;
pub mod claims;
pub mod decision;
pub mod density;
pub mod embeddedness;
pub mod formulas;
pub mod graph;
pub mod network;
pub mod overlap;
pub mod partners;
pub mod rules;
pub mod summary;
pub mod tally;

pub use channels::{channel_counts, ChannelCounts, ChannelMix};
pub use decision::{decision, Decision, Spec};
pub use density::{issue_area_density, IssueAreaDensity};
pub use embeddedness::{embeddedness, Embeddedness};
pub use formulas::{Formula, FORMULAS};
pub use network::{partner_network, Network};
pub use partners::{partners, Partners};
pub use rules::Rules;
pub use summary::{reference_year, summaries, summaries_of_tallies, yearly, Summary};

#[cfg(test)]
pub(crate) mod fixtures;
