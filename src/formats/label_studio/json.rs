//! A Label Studio export read into lean structures: only the fields the
//! import uses are kept, each as it is parsed, so a task with 100,000
//! results costs megabytes rather than a tree of JSON values.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A whole export: one task, or a list of them.
pub(super) struct Tasks(pub(super) Vec<Task>);

/// One task, with what the import reads of it.
#[derive(Default)]
pub(super) struct Task {
    pub(super) id: Option<Value>,
    pub(super) data: Map<String, Value>,
    /// The minimal export shape's top-level `text`.
    pub(super) text: Option<String>,
    /// How many annotators' result lists there were.
    pub(super) annotators: usize,
    /// Every result of every annotator, then those of the minimal shape's `label`.
    pub(super) results: Vec<RawResult>,
    /// Whether `predictions` carries anything.
    pub(super) has_predictions: bool,
}

/// One result: its id, type and region fields.
#[derive(Default)]
pub(super) struct RawResult {
    pub(super) id: Option<String>,
    pub(super) kind: Option<String>,
    /// The fields of its `value`, when it has one.
    pub(super) value: Option<RegionFields>,
    /// The fields on the result itself (the minimal export shape).
    pub(super) top: RegionFields,
}

impl RawResult {
    /// The region fields: of `value`, or of the result itself.
    pub(super) fn fields(&self) -> &RegionFields {
        self.value.as_ref().unwrap_or(&self.top)
    }
}

/// The fields of a region's value that the import reads.
#[derive(Default)]
pub(super) struct RegionFields {
    pub(super) start: Option<Value>,
    pub(super) end: Option<Value>,
    /// The region's text (a string), or a text area's texts (a list).
    pub(super) text: Option<Value>,
    /// The first field whose name ends in `labels` (`labels`, `hypertextlabels`, …).
    pub(super) labels: Option<Value>,
}

impl RegionFields {
    /// Whether the region has a place in the text.
    pub(super) fn has_span(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }

    /// Takes one field of a value; `false` when the key is not one of them.
    fn take<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "start" => self.start = Some(map.next_value()?),
            "end" => self.end = Some(map.next_value()?),
            "text" => self.text = Some(map.next_value()?),
            _ if key.ends_with("labels") && self.labels.is_none() => self.labels = Some(map.next_value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for Tasks {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TasksVisitor;
        impl<'de> Visitor<'de> for TasksVisitor {
            type Value = Tasks;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Label Studio export (a task or a list of tasks)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut tasks: A) -> Result<Tasks, A::Error> {
                let mut all = Vec::new();
                while let Some(task) = tasks.next_element()? {
                    all.push(task);
                }
                Ok(Tasks(all))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tasks, A::Error> {
                TaskVisitor.visit_map(map).map(|task| Tasks(vec![task]))
            }
        }
        deserializer.deserialize_any(TasksVisitor)
    }
}

struct TaskVisitor;

impl<'de> Visitor<'de> for TaskVisitor {
    type Value = Task;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Label Studio task (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Task, A::Error> {
        let mut task = Task::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => task.id = Some(map.next_value()?),
                "data" => task.data = map.next_value::<Option<Map<String, Value>>>()?.unwrap_or_default(),
                "text" => task.text = map.next_value::<Value>()?.as_str().map(str::to_owned),
                "annotations" | "completions" => map.next_value_seed(Completions(&mut task))?,
                "label" => map.next_value_seed(Results(&mut task.results))?,
                "predictions" => task.has_predictions = map.next_value_seed(CarriesSomething)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(task)
    }
}

impl<'de> Deserialize<'de> for Task {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TaskVisitor)
    }
}

/// An annotators' list: each one's `result` list read into the task.
struct Completions<'t>(&'t mut Task);

impl<'de> DeserializeSeed<'de> for Completions<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Completions<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of annotations")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut completions: A) -> Result<(), A::Error> {
        while completions.next_element_seed(Completion(&mut *self.0))?.is_some() {
            self.0.annotators += 1;
        }
        Ok(())
    }
}

/// One annotator's annotation: its `result` list.
struct Completion<'t>(&'t mut Task);

impl<'de> DeserializeSeed<'de> for Completion<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Completion<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an annotation (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "result" {
                map.next_value_seed(Results(&mut self.0.results))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A list of results, appended to.
struct Results<'r>(&'r mut Vec<RawResult>);

impl<'de> DeserializeSeed<'de> for Results<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Results<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of results")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut results: A) -> Result<(), A::Error> {
        while let Some(result) = results.next_element()? {
            self.0.push(result);
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for RawResult {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ResultVisitor;
        impl<'de> Visitor<'de> for ResultVisitor {
            type Value = RawResult;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a result (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawResult, A::Error> {
                let mut result = RawResult::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => result.id = map.next_value::<Value>()?.as_str().map(str::to_owned),
                        "type" => result.kind = map.next_value::<Value>()?.as_str().map(str::to_owned),
                        "value" => result.value = Some(map.next_value::<FieldsOf>()?.0),
                        other => {
                            if !result.top.take(other, &mut map)? {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                }
                Ok(result)
            }
        }
        deserializer.deserialize_map(ResultVisitor)
    }
}

/// A result's `value`, read as its region fields.
struct FieldsOf(RegionFields);

impl<'de> Deserialize<'de> for FieldsOf {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = FieldsOf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a result value (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldsOf, A::Error> {
                let mut fields = RegionFields::default();
                while let Some(key) = map.next_key::<String>()? {
                    if !fields.take(&key, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(FieldsOf(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// Whether a field carries anything (not null, an empty list, object or string), read without keeping it.
struct CarriesSomething;

impl<'de> DeserializeSeed<'de> for CarriesSomething {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CarriesSomething {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<bool, E> {
        Ok(!text.is_empty())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<bool, A::Error> {
        let mut any = false;
        while items.next_element::<IgnoredAny>()?.is_some() {
            any = true;
        }
        Ok(any)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut any = false;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
            any = true;
        }
        Ok(any)
    }
}
