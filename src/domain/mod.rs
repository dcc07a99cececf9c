//! The domain: plain data and rules, with no I/O, no SQLite and no terminal.

pub mod catalog;
pub mod columns;
pub mod cow;
pub mod date;
pub mod facets;
pub mod filter;
pub mod links;
pub mod model;
pub mod problem;
pub mod record;
pub mod tally;
pub mod vocab;

pub use catalog::Catalog;
pub use columns::{parse_columns, Column, ColumnsError};
pub use date::{DateError, PartialDate, Precision};
pub use filter::{ChannelFilter, Filter, FilterError, SortKey, SortOrder};
pub use links::LinkList;
pub use model::{
    split_list, Actor, Dataset, Event, Institution, Instrument, Membership, Party, Programme,
    Source, SourceRef, Weight,
};
pub use problem::{FieldProblem, Problem, Unknown};
pub use record::{
    membership_key, Entity, EventLink, IdMap, IdSet, KnownIds, Record, UnknownEntity,
};
pub use tally::Tally;
pub use vocab::{
    ActorKind, Certainty, Channel, InstitutionKind, IssueArea, Kind, Role, Scope, SourceType,
    Valence, VocabError,
};
