//! A number in a JSON file by JSON Pointer, converted to the unit of a target.

use crate::amount::{Amount, Dim};

/// Largest JSON file read (benchmark outputs are small).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The number at `pointer` in a JSON document.
pub fn read_number(bytes: &[u8], pointer: &str) -> Result<f64, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    if !(pointer.is_empty() || pointer.starts_with('/')) {
        return Err(format!(
            "`{pointer}` is not a JSON Pointer (it must start with `/`)"
        ));
    }
    match value.pointer(pointer) {
        None => Err(format!("the JSON Pointer `{pointer}` resolves to nothing")),
        Some(v) => v
            .as_f64()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("the JSON Pointer `{pointer}` names {v}, not a number")),
    }
}

/// The value as an amount comparable with `target`: `unit` is the unit of the
/// number in the file (`s`, `ms`, `µs`, `%`, `ratio`, a counted noun), defaulting to
/// the target's.
pub fn to_amount(v: f64, unit: Option<&str>, target: &Amount) -> Result<Amount, String> {
    if v < 0.0 {
        return Err(format!("the value {v} is negative"));
    }
    let (value, unit) = match unit.map(str::trim) {
        Some("ratio") => (v * 100.0, "%".to_string()),
        Some(u) => (v, u.to_string()),
        None => (v, target.unit.clone()),
    };
    let parsed = Amount::parse(&format!(
        "{} {unit}",
        crate::amount::fmt_num(value, 12).replace(',', "")
    ))
    .map_err(|_| {
        format!("`{unit}` is not a unit gonogo knows (s, ms, µs, %, ratio, or a counted noun)")
    })?;
    if parsed.dim != target.dim {
        return Err(format!(
            "the file's unit `{unit}` cannot be compared with the target's `{}`",
            target.unit
        ));
    }
    // Shown in the target's unit, with up to three decimals.
    Ok(Amount {
        unit: target.unit.clone(),
        factor: target.factor,
        step: target.factor / 1000.0,
        ..parsed
    })
    .map(|a| {
        if a.dim == Dim::Count {
            Amount { step: 0.001, ..a }
        } else {
            a
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_units() {
        let ms = Amount::parse("1000 ms").unwrap();
        let a = to_amount(0.0123, Some("s"), &ms).unwrap();
        assert!((a.lo - 0.0123).abs() < 1e-12);
        assert_eq!(a.to_string(), "12.3 ms");
        let pct = Amount::parse("99%").unwrap();
        assert_eq!(to_amount(0.995, Some("ratio"), &pct).unwrap().lo, 99.5);
        assert!(to_amount(1.0, Some("KB"), &ms).is_err());
        assert!(to_amount(1.0, Some("parsecs"), &ms).is_err());
    }
}
