//! Finding non-finite numbers (NaN, infinities) in any serialisable value, with their path.
//!
//! `serde_json` writes a NaN or an infinity as `null`, which hides it from any check of the JSON
//! text; [`check`] walks the same data serde would write (a serializer that writes nothing), so
//! a non-finite number anywhere in an output is found and named before the output is written
//! (`summary.batteries[1].fired`). The command line refuses to write such an output; the fuzz
//! targets assert that none exists.

use std::fmt;

use serde::ser::{self, Serialize};

/// Checks that every float in `value` is finite; the error is the path of the first that is not
/// (`field 'batteries[1].fired'`, or `the top level` for a bare number).
pub fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    // A quick walk that only looks at the numbers; only when it finds one not finite (or the
    // value refuses to serialise) does a second walk follow the path, to name the place.
    if value.serialize(&mut Walker::new(false)).is_ok() {
        return Ok(());
    }
    value.serialize(&mut Walker::new(true)).map_err(|e| e.0)
}

/// The path of the first non-finite float found (the serializer's error type).
#[derive(Debug)]
pub struct Found(pub String);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Found {}
impl ser::Error for Found {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Found(msg.to_string())
    }
}

/// One step of the path from the top level to a value.
enum Step {
    /// A struct field or an enum variant.
    Name(&'static str),
    /// An element of a sequence or tuple, or an entry of a map whose keys are not text.
    Index(usize),
    /// The entry of a map under a text key.
    Key(String),
}

/// The serializer: writes nothing, remembers where it is (without allocating, except for the
/// text keys of maps).
pub struct Walker {
    path: Vec<Step>,
    /// Whether the path is followed (to name a non-finite number's place) or not (a quick walk
    /// that only says whether there is one).
    follow_path: bool,
}

impl Walker {
    fn new(follow_path: bool) -> Self {
        Self {
            path: Vec::new(),
            follow_path,
        }
    }

    fn here(&self) -> String {
        if self.path.is_empty() {
            "the top level".to_owned()
        } else {
            let mut s = String::new();
            for p in &self.path {
                let name: &str = match p {
                    Step::Index(i) => {
                        s.push_str(&format!("[{i}]"));
                        continue;
                    }
                    Step::Name(name) => name,
                    Step::Key(key) => key,
                };
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(name);
            }
            format!("field '{s}'")
        }
    }
    fn float(&self, v: f64) -> Result<(), Found> {
        match (v.is_finite(), self.follow_path) {
            (true, _) => Ok(()),
            (false, true) => Err(Found(self.here())),
            (false, false) => Err(Found(String::new())),
        }
    }
    fn nested<T: Serialize + ?Sized>(&mut self, step: Step, value: &T) -> Result<(), Found> {
        if !self.follow_path {
            return value.serialize(&mut *self);
        }
        self.path.push(step);
        let r = value.serialize(&mut *self);
        self.path.pop();
        r
    }
}

/// Sequences and maps: counts elements for the path.
pub struct Compound<'a> {
    walker: &'a mut Walker,
    index: usize,
    /// A variant's name was pushed on the path (tuple and struct variants) and is popped at the end.
    variant: bool,
    /// The text of the map key just serialised, which names the next value.
    key: Option<String>,
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Found> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Found> {
        self.float(v)
    }
    fn serialize_char(self, _: char) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.nested(Step::Name(variant), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        Ok(Compound::new(self, Some(variant)))
    }
}

impl<'a> Compound<'a> {
    fn new(walker: &'a mut Walker, variant: Option<&'static str>) -> Self {
        let variant = variant.filter(|_| walker.follow_path);
        if let Some(v) = variant {
            walker.path.push(Step::Name(v));
        }
        Compound {
            walker,
            index: 0,
            variant: variant.is_some(),
            key: None,
        }
    }

    /// Ends a compound: pops the variant name a tuple or struct variant pushed.
    fn finish(self) -> Result<(), Found> {
        if self.variant {
            self.walker.path.pop();
        }
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let step = Step::Index(self.index);
        self.index += 1;
        self.walker.nested(step, value)
    }
}

/// Sequences, tuples and tuple structs and variants: elements named by their index.
macro_rules! indexed {
    ($($trait:ident :: $method:ident => $end:ident),* $(,)?) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
                self.element(value)
            }
            fn end(self) -> Result<(), Found> {
                self.$end()
            }
        })*
    };
}

indexed!(
    SerializeSeq::serialize_element => finish,
    SerializeTuple::serialize_element => finish,
    SerializeTupleStruct::serialize_field => finish,
    SerializeTupleVariant::serialize_field => finish,
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        key.serialize(&mut *self.walker)?;
        if self.walker.follow_path {
            self.key = key.serialize(KeyName).ok();
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        match self.key.take() {
            // A text key (a flattened struct's field, a map of names) names the value.
            Some(name) => {
                self.index += 1;
                self.walker.nested(Step::Key(name), value)
            }
            None => self.element(value),
        }
    }
    fn end(self) -> Result<(), Found> {
        self.finish()
    }
}
/// Structs and struct variants: fields named by their names.
macro_rules! named {
    ($($trait:ident),* $(,)?) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Found> {
                self.walker.nested(Step::Name(key), value)
            }
            fn end(self) -> Result<(), Found> {
                self.finish()
            }
        })*
    };
}

named!(SerializeStruct, SerializeStructVariant);

/// A serializer that yields a map key's text when the key is a string, and fails otherwise.
struct KeyName;

/// The methods of [`KeyName`] for everything that is not a string: no name.
macro_rules! no_name {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<String, Found> {
            Err(Found(String::new()))
        })*
    };
}

impl ser::Serializer for KeyName {
    type Ok = String;
    type Error = Found;
    type SerializeSeq = ser::Impossible<String, Found>;
    type SerializeTuple = ser::Impossible<String, Found>;
    type SerializeTupleStruct = ser::Impossible<String, Found>;
    type SerializeTupleVariant = ser::Impossible<String, Found>;
    type SerializeMap = ser::Impossible<String, Found>;
    type SerializeStruct = ser::Impossible<String, Found>;
    type SerializeStructVariant = ser::Impossible<String, Found>;

    fn serialize_str(self, v: &str) -> Result<String, Found> {
        Ok(v.to_owned())
    }
    no_name!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Found> {
        Err(Found(String::new()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<String, Found> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Found> {
        Err(Found(String::new()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Found> {
        Err(Found(String::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Found> {
        Err(Found(String::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Found> {
        Err(Found(String::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Found> {
        Err(Found(String::new()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Found> {
        Err(Found(String::new()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Found> {
        Err(Found(String::new()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Found> {
        Err(Found(String::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[derive(serde::Serialize)]
    struct Battery {
        name: String,
        fired: u32,
        altitude_km: Vec<f64>,
        pk: Option<f64>,
    }

    #[derive(serde::Serialize)]
    enum Event {
        Intercept { miss_m: f64 },
    }

    #[test]
    fn finds_the_first_non_finite_float_and_names_its_path() {
        let ok = Battery {
            name: "NaN".into(),
            fired: 3,
            altitude_km: vec![1.0, 2.5e-7],
            pk: None,
        };
        assert_eq!(check(&ok), Ok(()));
        let bad = vec![Battery {
            altitude_km: vec![1.0, f64::NAN],
            pk: Some(f64::INFINITY),
            ..ok
        }];
        assert_eq!(check(&bad), Err("field '[0].altitude_km[1]'".to_owned()));
        assert_eq!(
            check(&Event::Intercept {
                miss_m: f64::NEG_INFINITY
            }),
            Err("field 'Intercept.miss_m'".to_owned())
        );
        assert_eq!(check(&f64::NAN), Err("the top level".to_owned()));
        let map: std::collections::BTreeMap<&str, f64> = [("a", 1.0), ("b", f64::NAN)].into();
        assert_eq!(check(&map), Err("field 'b'".to_owned()));
        let by_number: std::collections::BTreeMap<u32, f64> = [(7, 1.0), (9, f64::NAN)].into();
        assert_eq!(check(&by_number), Err("field '[1]'".to_owned()));
        // A flattened struct (as the run's events are written) is a map with text keys.
        #[derive(serde::Serialize)]
        struct Timed {
            t_s: f64,
            #[serde(flatten)]
            what: Event,
        }
        let e = Timed {
            t_s: 1.0,
            what: Event::Intercept { miss_m: f64::NAN },
        };
        assert_eq!(check(&e), Err("field 'Intercept.miss_m'".to_owned()));
    }
}
