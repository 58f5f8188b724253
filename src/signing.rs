//! Which sign-offs count, and for what version of the facts.
//!
//! A release's data fingerprint ([`crate::ingest::fingerprint`]) is the version of its
//! facts an approver signs. A sign-off may record it (`fingerprint:`, as `gonogo
//! approve` writes it); when the facts have changed since, the sign-off is stale and
//! does not count. The rules, chosen to fail closed:
//!
//! - **One sign-off per role counts: the latest.** By date; on the same date (or with
//!   none) the one further down the list. So signing again supersedes, and `gonogo
//!   approve` only ever appends.
//! - **A stale sign-off does not count**, and an earlier one of the role does not take
//!   its place: the role waits for a new signature.
//! - With the policy's `fingerprint_required`, an approval that records no fingerprint
//!   does not count either.
//! - **A rejection that is a role's latest sign-off blocks GO and GO WITH CONDITIONS**,
//!   whether or not the role is required.
//! - A sign-off whose role is not required is shown, and never counts toward the
//!   required approvals.

mod changes;
pub use changes::changes;

use crate::facts::{Count, required_roles, signoff_complete};
use crate::load::Release;
use crate::model::{Approvals, SignStatus, Signoff};
use crate::when::When;

/// The sign-offs of one release, read against its current fingerprint.
pub struct Signing<'a> {
    pub a: &'a Approvals,
    deploy: Option<&'a When>,
    fingerprint: &'a str,
    fingerprint_required: bool,
}

/// Where one sign-off stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// A complete approval (or conditional approval) that counts.
    Counts,
    /// A later sign-off of the same role takes its place.
    Superseded,
    /// Pending, or approved without a name or a date, or after the deployment.
    Open,
    /// Rejected, and the role's latest word.
    Rejected,
    /// Approved for another fingerprint than the facts have now.
    Stale,
    /// Approved without a fingerprint, where the policy requires one.
    Unbound,
}

impl<'a> Signing<'a> {
    pub fn of(r: &'a Release) -> Option<Signing<'a>> {
        let a = r.approvals.as_ref()?;
        Some(Signing {
            a: &a.v,
            deploy: r.info.v.deploy.as_ref().map(|d| &d.value),
            fingerprint: &r.fingerprint,
            fingerprint_required: r.fingerprint_required,
        })
    }

    /// The sign-off of `role` that counts: its latest.
    pub fn current(&self, role: &str) -> Option<&'a Signoff> {
        self.a
            .signoffs
            .iter()
            .enumerate()
            .filter(|(_, s)| s.role.value == role)
            .max_by_key(|(i, s)| (s.date.as_ref().map(|d| (d.value.date, d.value.time)), *i))
            .map(|(_, s)| s)
    }

    pub fn state(&self, s: &Signoff) -> State {
        if !self
            .current(&s.role.value)
            .is_some_and(|c| std::ptr::eq(c, s))
        {
            return State::Superseded;
        }
        match s.status.value {
            SignStatus::Rejected => return State::Rejected,
            SignStatus::Pending => return State::Open,
            SignStatus::Approved | SignStatus::Conditional => {}
        }
        if !signoff_complete(s, self.deploy) {
            return State::Open;
        }
        match &s.fingerprint {
            Some(f) if !f.value.trim().eq_ignore_ascii_case(self.fingerprint) => State::Stale,
            None if self.fingerprint_required => State::Unbound,
            _ => State::Counts,
        }
    }

    /// Whether `role`'s approval counts (conditional ones only when `conditional`).
    pub fn approved(&self, role: &str, conditional: bool) -> bool {
        self.current(role).is_some_and(|s| {
            self.state(s) == State::Counts
                && (conditional || s.status.value == SignStatus::Approved)
        })
    }

    /// Required roles whose approval counts, out of the required roles.
    pub fn count(&self, conditional: bool) -> Count {
        let roles = required_roles(self.a);
        Count {
            done: roles
                .iter()
                .filter(|r| self.approved(r, conditional))
                .count() as u64,
            total: roles.len() as u64,
        }
    }

    /// Sign-offs that are their role's latest word and reject the release.
    pub fn rejections(&self) -> Vec<&'a Signoff> {
        self.a
            .signoffs
            .iter()
            .filter(|s| self.state(s) == State::Rejected)
            .collect()
    }

    /// The fingerprint the facts have now.
    pub fn fingerprint(&self) -> &str {
        self.fingerprint
    }
}
