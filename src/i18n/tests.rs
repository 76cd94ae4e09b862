use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Each message's id and the placeholders (`$name`) its text uses.
fn messages(ftl: &str) -> BTreeMap<String, (String, BTreeSet<String>)> {
    let mut out: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in ftl.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '}']) {
            let (id, value) = line.split_once('=').expect("id = value");
            let id = id.trim().to_string();
            assert!(!out.contains_key(&id), "{id} twice");
            out.insert(id.clone(), (value.trim().to_string(), BTreeSet::new()));
            current = Some(id);
        } else if let Some(id) = &current {
            let entry = out.get_mut(id).expect("current message");
            entry.0.push(' ');
            entry.0.push_str(line.trim());
        }
    }
    for (text, vars) in out.values_mut() {
        let mut rest = text.as_str();
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            vars.insert(name);
            rest = &rest[at + 1..];
        }
    }
    out
}

#[test]
fn both_catalogues_parse_without_errors() {
    for (name, text) in [("en", EN_FTL), ("es", ES_FTL)] {
        if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
            panic!("{name}.ftl: {errors:?}");
        }
    }
}

#[test]
fn every_key_is_in_both_languages_with_the_same_placeholders_and_a_value() {
    let en = messages(EN_FTL);
    let es = messages(ES_FTL);
    let en_keys: BTreeSet<_> = en.keys().collect();
    let es_keys: BTreeSet<_> = es.keys().collect();
    assert_eq!(
        en_keys.difference(&es_keys).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in es.ftl"
    );
    assert_eq!(
        es_keys.difference(&en_keys).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in en.ftl"
    );
    for (key, (text, vars)) in &en {
        let (es_text, es_vars) = &es[key];
        assert!(!text.is_empty() && !es_text.is_empty(), "{key} is empty");
        assert_eq!(vars, es_vars, "{key}: placeholders differ");
        for lang in Lang::ALL {
            assert!(catalogue().bundle(lang).has_message(key), "{key} ({lang}) did not load");
        }
    }
}

/// Every `tr!(lang, "key"…)` in the source names a message that exists.
#[test]
fn every_key_the_source_names_exists() {
    let en = messages(EN_FTL);
    let mut files = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    let mut missing = Vec::new();
    let mut found = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).expect("dir").map(|e| e.expect("entry").path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        for (at, _) in text.match_indices("tr!(") {
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at..];
            let Some(open) = rest.find('"') else { continue };
            let Some(len) = rest[open + 1..].find('"') else {
                continue;
            };
            let key = &rest[open + 1..open + 1 + len];
            if key == "key" || key.contains(' ') {
                continue;
            }
            found += 1;
            if !en.contains_key(key) {
                missing.push(format!("{}: {key}", path.display()));
            }
        }
    }
    assert!(found > 50, "the scan found only {found} keys");
    assert!(missing.is_empty(), "keys not in the catalogue: {missing:#?}");
}

#[test]
fn the_locale_decides_when_nothing_else_does() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    };
    assert_eq!(choose(None, None, env(&[])), (Lang::En, Origin::Default));
    assert_eq!(
        choose(None, None, env(&[("LANG", "es_ES.UTF-8")])),
        (Lang::Es, Origin::Locale("LANG"))
    );
    assert_eq!(choose(None, None, env(&[("LANG", "es_MX")])).0, Lang::Es);
    assert_eq!(choose(None, None, env(&[("LC_MESSAGES", "es")])).0, Lang::Es);
    assert_eq!(choose(None, None, env(&[("LANG", "C")])).0, Lang::En);
    assert_eq!(choose(None, None, env(&[("LANG", "POSIX")])).0, Lang::En);
    assert_eq!(
        choose(None, None, env(&[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "es_ES")])),
        (Lang::En, Origin::Locale("LC_ALL")),
        "the first locale variable set decides"
    );
    assert_eq!(
        choose(None, Some(Lang::Es), env(&[("LANG", "en_US")])),
        (Lang::Es, Origin::File)
    );
    assert_eq!(
        choose(None, Some(Lang::Es), env(&[("TRACKLINE_LANG", "en")])),
        (Lang::En, Origin::Env)
    );
    assert_eq!(
        choose(None, None, env(&[("TRACKLINE_LANG", "klingon"), ("LANG", "es_ES")])),
        (Lang::En, Origin::Env),
        "an unknown TRACKLINE_LANG is English"
    );
    assert_eq!(
        choose(Some(Lang::Es), Some(Lang::En), env(&[("TRACKLINE_LANG", "en")])),
        (Lang::Es, Origin::Flag)
    );
    assert_eq!(Lang::parse("es-ES"), Some(Lang::Es));
    assert_eq!(Lang::parse("fr"), None);
}

#[test]
fn messages_take_their_arguments_and_plurals() {
    assert_eq!(crate::tr!(Lang::Es, "pane-search"), "Buscar");
    assert_eq!(crate::tr!(Lang::En, "state-failed-times", tries = 3), "failed ×3");
    let unit = crate::tr!(Lang::Es, "unit-day", n = 3);
    assert_eq!(crate::tr!(Lang::Es, "time-ago", n = 3, unit = unit), "hace 3 días");
    let unit = crate::tr!(Lang::Es, "unit-day", n = 1);
    assert_eq!(unit, "día");
    assert_eq!(crate::tr!(Lang::Es, "watched-unseen", n = 1_usize), " · 1 cambiado");
    assert_eq!(crate::tr!(Lang::Es, "watched-unseen", n = 2_usize), " · 2 cambiados");
    assert_eq!(crate::tr!(Lang::En, "watched-unseen", n = 2_usize), " · 2 changed");
}

/// Every label of every binding table has its `hint-` message, every action
/// its `action-` message and every help place its `place-` message, in both
/// languages (the TUI looks them up by name, so the source scan cannot see them).
#[test]
fn every_hint_label_action_and_place_of_the_tui_has_a_message() {
    use crate::tui::bindings::Pane;
    use crate::tui::keymap::Action;
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for pane in Pane::ALL {
        for binding in pane.bindings() {
            keys.insert(format!("hint-{}", slug(binding.label)));
        }
    }
    assert!(keys.len() > 20, "only {} hint labels", keys.len());
    for action in Action::ALL {
        keys.insert(format!("action-{}", action.config_name()));
        keys.insert(format!("place-{}", slug(action.place())));
    }
    for lang in Lang::ALL {
        let bundle = catalogue().bundle(lang);
        let missing: Vec<&String> = keys.iter().filter(|key| !bundle.has_message(key)).collect();
        assert!(missing.is_empty(), "{lang}: {missing:?}");
    }
    assert_eq!(
        Lang::Es.hint("download marked/all"),
        Lang::Es.t("hint-download-marked-all")
    );
}
