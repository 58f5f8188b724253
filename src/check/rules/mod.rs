//! One module per family of rules.
pub mod approvals;
pub mod calendar;
pub mod decision;
pub mod durations;
pub mod metrics;
pub mod narrative;
pub mod ratios;
pub mod records;
pub mod risks;
pub mod sums;
pub mod trends;
pub mod units;
