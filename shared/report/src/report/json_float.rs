//! JSON for floats that may be NaN or infinite.
//!
//! JSON has no NaN or infinity, and `serde_json` writes them as `null`, which then fails to read
//! back as `f64`. A diverged loss is a result worth recording, so records write finite values as
//! numbers and the others as the strings `"NaN"`, `"Infinity"` and `"-Infinity"` (the names
//! JavaScript uses), and read back numbers, those strings, or `null` (as NaN).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// An `f64` that survives a JSON round trip, NaN and infinities included.
#[derive(Clone, Copy, Debug)]
struct JsonFloat(f64);

impl Serialize for JsonFloat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            v if v.is_finite() => serializer.serialize_f64(v),
            v if v.is_nan() => serializer.serialize_str("NaN"),
            v if v > 0.0 => serializer.serialize_str("Infinity"),
            _ => serializer.serialize_str("-Infinity"),
        }
    }
}

impl<'de> Deserialize<'de> for JsonFloat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonFloat, D::Error> {
        deserializer.deserialize_any(JsonFloatVisitor).map(JsonFloat)
    }
}

struct JsonFloatVisitor;

impl Visitor<'_> for JsonFloatVisitor {
    type Value = f64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"a number, "NaN", "Infinity", "-Infinity" or null"#)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
}

/// `#[serde(with = "json_float::single")]` for an `f64` field.
pub(crate) mod single {
    use super::*;

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        JsonFloat(*value).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        JsonFloat::deserialize(deserializer).map(|f| f.0)
    }
}

/// `#[serde(with = "json_float::map")]` for a `BTreeMap<String, f64>` field.
pub(crate) mod map {
    use super::*;

    pub fn serialize<S: Serializer>(map: &BTreeMap<String, f64>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter().map(|(k, v)| (k, JsonFloat(*v))))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, f64>, D::Error> {
        let map = BTreeMap::<String, JsonFloat>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// `#[serde(with = "json_float::pairs")]` for a `Vec<(f64, f64)>` field, written `[[x, y], ...]`.
pub(crate) mod pairs {
    use super::*;

    pub fn serialize<S: Serializer>(points: &[(f64, f64)], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(points.iter().map(|&(x, y)| (JsonFloat(x), JsonFloat(y))))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(f64, f64)>, D::Error> {
        let points = Vec::<(JsonFloat, JsonFloat)>::deserialize(deserializer)?;
        Ok(points.into_iter().map(|(x, y)| (x.0, y.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "single")]
        value: f64,
        #[serde(with = "pairs")]
        points: Vec<(f64, f64)>,
    }

    #[test]
    fn non_finite_values_are_strings_and_read_back() {
        let holder = Holder { value: f64::NAN, points: vec![(1.0, f64::INFINITY), (2.5, f64::NEG_INFINITY)] };
        let json = serde_json::to_string(&holder).unwrap();
        assert_eq!(json, r#"{"value":"NaN","points":[[1.0,"Infinity"],[2.5,"-Infinity"]]}"#);
        let back: Holder = serde_json::from_str(&json).unwrap();
        assert!(back.value.is_nan());
        assert_eq!(back.points[0], (1.0, f64::INFINITY));
        assert_eq!(back.points[1], (2.5, f64::NEG_INFINITY));
    }

    #[test]
    fn null_and_integers_are_accepted_other_strings_are_not() {
        let back: Holder = serde_json::from_str(r#"{"value":null,"points":[[1,2]]}"#).unwrap();
        assert!(back.value.is_nan());
        assert_eq!(back.points, vec![(1.0, 2.0)]);
        let error = serde_json::from_str::<Holder>(r#"{"value":"nan","points":[]}"#).err().unwrap();
        assert!(error.to_string().contains("\"NaN\""), "{error}");
    }
}
