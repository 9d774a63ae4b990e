//! Chart knowledge: where a chart keeps the settings Workload Identity depends on.
//!
//! Each supported chart is one entry in [`CHARTS`]. An entry turns the release's inputs into
//! the chart values wisp owns, merged with the spec's extra `values`; emitters never guess
//! chart keys themselves.

mod open_webui;

use crate::diagnostics::Diagnostics;
use crate::version::Version;
use crate::yaml::Node;
use serde_json::{Map, Value};

/// A path of keys into the chart values (`["serviceAccount", "name"]`).
pub type KeyPath = Vec<String>;

/// What a chart entry needs to know about the release.
pub struct ChartInputs<'a> {
    pub chart_version: Version,
    pub image_version: Version,
    pub image_tag: &'a str,
    pub image_repository: Option<&'a str>,
    pub service_account: &'a str,
    pub openai: Option<&'a crate::model::OpenAi>,
    /// The spec's `release.values`, and its node for positions.
    pub user_values: Option<(&'a Map<String, Value>, &'a Node)>,
}

/// The chart values of a release.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartValues {
    /// Every value except those in `pinned`, in the order a values file shows them.
    pub base: Map<String, Value>,
    /// String values the identity depends on (service account name, pod label, image tag),
    /// kept apart so a target can set them one by one (`helm --set-string`, Terraform `set`).
    pub pinned: Vec<(KeyPath, String)>,
    /// Where the service account's client-id annotation goes.
    pub client_id_key: KeyPath,
    /// Where the service account name goes.
    pub service_account_key: KeyPath,
    /// Whether the Azure OpenAI connection is configured through the environment (false
    /// when the image is too old and the connection must be added in the UI).
    pub openai_in_env: bool,
}

impl ChartValues {
    /// All values as one tree, with the client id annotation when it is known.
    pub fn full(&self, client_id: Option<&str>) -> Map<String, Value> {
        let mut out = self.base.clone();
        for (path, value) in &self.pinned {
            set_path(&mut out, path, Value::String(value.clone()));
        }
        if let Some(id) = client_id {
            set_path(&mut out, &self.client_id_key, Value::String(id.to_string()));
        }
        out
    }
}

/// A chart wisp supports.
pub struct Chart {
    pub name: &'static str,
    /// The oldest chart version whose keys wisp knows.
    pub min_version: Version,
    /// The chart values, or `None` after reporting errors (warnings may come either way).
    pub values: fn(&ChartInputs, &mut Diagnostics) -> Option<ChartValues>,
    /// Chart versions wisp knows and the application version each ships (its appVersion),
    /// ascending.
    pub app_versions: &'static [(Version, Version)],
    /// Values keys that exist only from a chart version on; Helm ignores them before.
    pub keys_since: &'static [KeySince],
    /// The service account name the chart version renders when given `name`.
    pub rendered_service_account: fn(Version, &str) -> String,
}

/// A values key and the first chart version that has it.
pub struct KeySince {
    pub path: &'static [&'static str],
    pub since: Version,
}

impl Chart {
    /// The application version a chart version ships, as far as wisp knows: that of the
    /// latest known chart at or below it.
    pub fn app_version(&self, chart: Version) -> Option<Version> {
        self.app_versions
            .iter()
            .rev()
            .find(|(c, _)| *c <= chart)
            .map(|(_, a)| *a)
    }

    /// The first known chart version that ships `app` or later (else the latest known one).
    pub fn first_chart_for(&self, app: Version) -> Option<(Version, Version)> {
        self.app_versions
            .iter()
            .find(|(_, a)| *a >= app)
            .or(self.app_versions.last())
            .copied()
    }
}

/// The supported charts.
pub static CHARTS: &[Chart] = &[open_webui::CHART];

pub fn find(name: &str) -> Option<&'static Chart> {
    CHARTS.iter().find(|c| c.name == name)
}

/// A key path as Helm's `--set` syntax: dots inside keys escaped (`a.b\.c`).
pub fn helm_set_key(path: &[String]) -> String {
    path.iter()
        .map(|p| p.replace('.', "\\."))
        .collect::<Vec<_>>()
        .join(".")
}

/// Sets `value` at `path`, creating (or replacing non-mapping) parents.
pub fn set_path(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = map;
    for p in parents {
        let entry = cur
            .entry(p.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        cur = entry.as_object_mut().expect("just made an object");
    }
    cur.insert(last.clone(), value);
}

/// The value at `path`, if every step exists.
pub fn get_path<'a>(map: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut cur = map.get(first)?;
    for p in rest {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// Removes the value at `path` and any mapping the removal leaves empty.
pub fn remove_path(map: &mut Map<String, Value>, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.shift_remove(first);
        return;
    }
    if let Some(Value::Object(child)) = map.get_mut(first) {
        remove_path(child, rest);
        if child.is_empty() {
            map.shift_remove(first);
        }
    }
}

/// Deep-merges `overlay` into `base`: mappings merge key by key, anything else replaces.
pub fn merge(base: &mut Map<String, Value>, overlay: &Map<String, Value>) {
    for (k, v) in overlay {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Turns `a.b` strings into key paths.
pub fn path(parts: &[&str]) -> KeyPath {
    parts.iter().map(|p| p.to_string()).collect()
}
