//! The command line's own words in Spanish (issue 17): `--help`, `help
//! COMMAND` and clap's usage errors, the language chosen before parsing;
//! English as clap says it.

#![allow(clippy::unwrap_used)] // test helpers

mod common;
mod documents;

use common::{Rig, bare_cmd};
use documents::claimed_png;

/// Words of clap's English help and errors that must not be left in Spanish.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Global options:",
    "Print help",
    "Print version",
    "[OPTIONS]",
    "[COMMAND]",
    "[env:",
    "[default:",
    "Examples:",
    "unexpected argument",
    "a value is required",
    "invalid value",
    "the following required",
    "tip:",
    "For more information",
];

fn english_left(text: &str) -> Vec<&'static str> {
    CLAP_ENGLISH.iter().copied().filter(|w| text.contains(w)).collect()
}

fn run(cmd: &mut assert_cmd::Command) -> (Option<i32>, String, String) {
    let output = cmd.output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn lang_es_help_is_spanish_on_stdout_with_exit_0() {
    let home = tempfile::TempDir::new().unwrap();
    let (code, stdout, stderr) = run(bare_cmd(home.path()).args(["--lang", "es", "--help"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(english_left(&stdout), Vec::<&str>::new(), "{stdout}");
    for spanish in [
        "Uso: trackline [OPCIONES] [COMANDO]",
        "Comandos:",
        "Opciones globales:",
        "Opciones:",
        "Ejemplos:",
    ] {
        assert!(stdout.contains(spanish), "{spanish:?} missing:\n{stdout}");
    }
    assert!(stdout.contains("Descarga adjuntos por id"), "{stdout}");
    assert!(stdout.contains("-h, --help     Muestra la ayuda"), "{stdout}");
}

#[test]
fn the_locale_makes_a_subcommands_help_spanish_and_help_command_too() {
    let home = tempfile::TempDir::new().unwrap();
    let (code, stdout, _) = run(bare_cmd(home.path())
        .env("LANG", "es_ES.UTF-8")
        .args(["download", "--help"]));
    assert_eq!(code, Some(0));
    assert_eq!(english_left(&stdout), Vec::<&str>::new(), "{stdout}");
    assert!(
        stdout.contains("Uso: trackline download [OPCIONES] <ID_ADJUNTO|--process <ID>>"),
        "{stdout}"
    );
    assert!(stdout.contains("Argumentos:"), "{stdout}");
    assert!(stdout.contains("Con --process: todos los documentos"), "{stdout}");
    let (code, by_command, _) = run(bare_cmd(home.path())
        .env("LANG", "es_ES.UTF-8")
        .args(["help", "download"]));
    assert_eq!(code, Some(0));
    assert_eq!(by_command, stdout);
    let (_, defaults, _) = run(bare_cmd(home.path())
        .env("LANG", "es_ES.UTF-8")
        .args(["export", "--help"]));
    assert!(defaults.contains("Descargas a la vez [por defecto: 4]"), "{defaults}");
}

#[test]
fn usage_errors_are_spanish_on_stderr_with_exit_2() {
    let home = tempfile::TempDir::new().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["download", "--bogus"], "error: argumento inesperado '--bogus'"),
        (
            &["download", "--bogus"],
            "consejo: para pasar '--bogus' como valor, use '-- --bogus'",
        ),
        (
            &["download", "--proces", "1"],
            "consejo: existe un argumento parecido: '--process'",
        ),
        (&["process"], "error: faltan estos argumentos obligatorios:"),
        (
            &["process", "--id"],
            "error: '--id <ID>' necesita un valor y no se dio ninguno",
        ),
        (
            &["export", "--ids-from", "x", "--jobs", "99"],
            "valor no válido '99' para '--jobs <N>': 99 no está en 1..=64",
        ),
        (&["donwload"], "error: comando desconocido 'donwload'"),
        (&["config"], "necesita un subcomando"),
        (&["download", "1", "--output", "a", "-o", "b"], "no se puede usar con"),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = run(bare_cmd(home.path()).env("TRACKLINE_LANG", "es").args(*args));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {expected:?} missing:\n{stderr}");
        assert_eq!(english_left(&stderr), Vec::<&str>::new(), "{args:?}: {stderr}");
        assert!(stderr.contains("Para más información, pruebe '--help'."), "{stderr}");
    }
}

#[test]
fn a_config_lang_chooses_the_help_language_and_a_broken_config_does_not_stop_help() {
    let home = tempfile::TempDir::new().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "lang = \"es\"\n").unwrap();
    let (code, stdout, _) = run(bare_cmd(home.path())
        .arg("--config")
        .arg(&config)
        .args(["status", "--help"]));
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("Quién ha iniciado sesión"), "{stdout}");
    std::fs::write(&config, "lang = [broken\n").unwrap();
    let (code, stdout, _) = run(bare_cmd(home.path())
        .env("TRACKLINE_CONFIG", &config)
        .args(["status", "--help"]));
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("Who is logged in"), "{stdout}");
    // --lang beats the file; TRACKLINE_LANG beats it too.
    std::fs::write(&config, "lang = \"es\"\n").unwrap();
    let (_, stdout, _) = run(bare_cmd(home.path())
        .env("TRACKLINE_CONFIG", &config)
        .args(["--lang", "en", "status", "--help"]));
    assert!(stdout.starts_with("Who is logged in"), "{stdout}");
    let (_, stdout, _) = run(bare_cmd(home.path())
        .env("TRACKLINE_CONFIG", &config)
        .env("TRACKLINE_LANG", "en")
        .args(["status", "--help"]));
    assert!(stdout.starts_with("Who is logged in"), "{stdout}");
}

#[test]
fn english_help_and_errors_are_clap_as_before() {
    let home = tempfile::TempDir::new().unwrap();
    let (code, stdout, _) = run(bare_cmd(home.path()).args(["download", "--help"]));
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("Usage: trackline download [OPTIONS] <ATTACHMENT_ID|--process <ID>>"),
        "{stdout}"
    );
    assert!(stdout.contains("  -h, --help              Print help"), "{stdout}");
    let (code, _, stderr) = run(bare_cmd(home.path()).args(["download", "--bogus"]));
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use '-- --bogus'\n\n\
         Usage: trackline download [OPTIONS] <ATTACHMENT_ID|--process <ID>>\n\nFor more information, try '--help'.\n"
    );
}

/// `inspect`'s warnings: Spanish in the human summary, the English strings
/// of before in `--json`, whatever the language.
#[test]
fn inspect_warnings_are_spanish_for_people_and_english_in_json() {
    let home = tempfile::TempDir::new().unwrap();
    let files = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files");
    for (file, english, spanish) in [
        (
            "carta_latin1.txt",
            "the text is in Latin-1",
            "! el texto está en Latin-1",
        ),
        (
            "notes_utf16.txt",
            "the text is in UTF-16LE",
            "! el texto está en UTF-16LE",
        ),
        (
            "Scan_2024-03.pdf",
            "no text layer: a scan",
            "! sin capa de texto: un escaneo",
        ),
    ] {
        let path = files.join(file);
        let (code, human, _) = run(bare_cmd(home.path())
            .args(["--lang", "es", "inspect", "--file"])
            .arg(&path));
        assert_eq!(code, Some(0));
        assert!(human.contains(&format!("Avisos\n{spanish}\n")), "{human}");
        assert!(!human.contains(english), "{human}");
        let (_, english_human, _) = run(bare_cmd(home.path())
            .args(["--lang", "en", "inspect", "--file"])
            .arg(&path));
        assert!(
            english_human.contains(&format!("Warnings\n! {english}\n")),
            "{english_human}"
        );
        let json = |lang: &str| {
            run(bare_cmd(home.path())
                .args(["--lang", lang, "inspect", "--json", "--file"])
                .arg(&path))
            .1
        };
        let es = json("es");
        assert_eq!(es, json("en"));
        let value: serde_json::Value = serde_json::from_str(&es).unwrap();
        assert_eq!(value["warnings"], serde_json::json!([english]), "{es}");
    }
}

/// `config show`'s words around the values, and the `profiles` table, in
/// Spanish; English as before.
#[test]
fn config_show_and_profiles_say_their_words_in_spanish() {
    let home = tempfile::TempDir::new().unwrap();
    let (_, shown, _) = run(bare_cmd(home.path())
        .env("LANG", "es_ES.UTF-8")
        .args(["config", "show"]));
    for english in [
        "(not found)",
        "(none)",
        "(from LANG)",
        "(system default)",
        "(defaults)",
        "(the theme's)",
        "= none",
    ] {
        assert!(!shown.contains(english), "{english:?} left:\n{shown}");
    }
    for spanish in [
        "(no existe)",
        "email                  = (ninguno)",
        "es (de LANG)",
        "(el del sistema)",
        "(las predeterminadas)",
        "(los del tema)",
        "proxy                  = ninguno",
    ] {
        assert!(shown.contains(spanish), "{spanish:?} missing:\n{shown}");
    }
    let (_, english, _) = run(bare_cmd(home.path())
        .env("LANG", "en_GB.UTF-8")
        .args(["config", "show"]));
    for words in [
        "(not found)",
        "email                  = (none)",
        "en (from LANG)",
        "(system default)",
        "(defaults)",
        "(the theme's)",
        "proxy                  = none",
    ] {
        assert!(english.contains(words), "{words:?} missing:\n{english}");
    }

    let (_, table, _) = run(bare_cmd(home.path()).env("TRACKLINE_LANG", "es").arg("profiles"));
    assert!(
        table.starts_with("  PERFIL           ESTADO       EMAIL                            SERVIDOR\n"),
        "{table}"
    );
    assert!(table.contains("* default          sin sesión   —"), "{table}");
    let (_, table, _) = run(bare_cmd(home.path()).arg("profiles"));
    assert_eq!(
        table,
        "  PROFILE          STATE        EMAIL                            SERVER\n* default          logged out   —                                —\n"
    );
}

/// `search`'s kind column and `profiles` after a login, in Spanish; `--json` keeps `"kind": "process"`.
#[test]
fn search_kinds_and_a_logged_in_profile_in_spanish() {
    let rig = Rig::new();
    rig.login();
    rig.cmd().args(["process", "--id", "12345"]).assert().success();
    let (code, table, stderr) = run(rig.cmd().env("TRACKLINE_LANG", "es").args(["search", "odoo"]));
    assert_eq!(code, Some(0), "{stderr}");
    let row = table
        .lines()
        .find(|l| l.contains("Odoo Billing Process"))
        .unwrap_or_default();
    assert!(row.starts_with("proceso "), "{table}");
    let (_, json, _) = run(rig.cmd().env("TRACKLINE_LANG", "es").args(["search", "odoo", "--json"]));
    assert!(json.contains("\"kind\":\"process\""), "{json}");
    let (_, english, _) = run(rig.cmd().args(["search", "odoo"]));
    assert!(
        english.lines().any(|l| l.starts_with("process ") && l.contains("Odoo")),
        "{english}"
    );
    let (_, profiles, _) = run(rig.cmd().env("TRACKLINE_LANG", "es").arg("profiles"));
    assert!(profiles.contains(" con sesión "), "{profiles}");
}

#[test]
fn an_archives_entries_have_a_spanish_header() {
    let home = tempfile::TempDir::new().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files/Q1_Receipts.zip");
    let (_, spanish, _) = run(bare_cmd(home.path())
        .args(["--lang", "es", "inspect", "--file"])
        .arg(&path));
    assert!(
        spanish.contains("\nnombre                bytes  modificado\n"),
        "{spanish}"
    );
    let (_, english, _) = run(bare_cmd(home.path())
        .args(["--lang", "en", "inspect", "--file"])
        .arg(&path));
    assert!(
        english.contains("\nname                  bytes  modified\n"),
        "{english}"
    );
}

/// A ZIP of `entries` (name, bytes), stored; the names in `encrypted` are
/// marked encrypted (in the local and the central header) as a ZIP with a
/// password marks them.
fn zip_of(entries: &[(&str, &[u8])], encrypted: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    let mut bytes = buf.into_inner();
    for name in encrypted {
        for (signature, flags, name_at) in [(b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)] {
            let at = (0..bytes.len() - name_at)
                .find(|&i| &bytes[i..i + 4] == signature && bytes[i + name_at..].starts_with(name.as_bytes()))
                .unwrap();
            bytes[at + flags] |= 1;
        }
    }
    bytes
}

/// `inspect --file` of the hostile and the long in Spanish: the warnings and
/// the markers under a cut body are Spanish (a library's own words kept in
/// brackets), English is word for word as before, and `--json` is the same
/// bytes in both languages.
#[test]
fn inspect_says_its_warnings_and_markers_in_spanish_and_its_json_does_not_change() {
    let home = tempfile::TempDir::new().unwrap();
    let dir = home.path().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    let mut nested = zip_of(&[("deepest.txt", b"at the bottom\n")], &[]);
    for name in ["d.zip", "c.zip", "b.zip"] {
        nested = zip_of(&[(name, &nested)], &[]);
    }
    let long: String = (1..=2500).map(|n| format!("line {n}\n")).collect();
    let files = [
        ("nested.zip", nested),
        (
            "locked.zip",
            zip_of(&[("secret.xml", b"<a/>"), ("open.txt", b"hello\n")], &["secret.xml"]),
        ),
        ("broken.zip", b"PK\x03\x04 this is no archive".to_vec()),
        ("bomb.png", claimed_png(30_000, 30_000)),
        ("long.txt", long.into_bytes()),
        ("blob.bin", (0..4096u32).map(|n| (n % 7) as u8).collect()),
    ];
    let run = |lang: &str, file: &std::path::Path, json: bool| {
        let mut cmd = bare_cmd(home.path());
        cmd.args(["--lang", lang, "inspect", "--file"]).arg(file);
        if json {
            cmd.arg("--json");
        }
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let expected: [(&str, &[&str], &[&str]); 6] = [
        ("nested.zip", &["nombre", "modificado", "b.zip"], &["name", "modified"]),
        ("locked.zip", &["secret.xml", "open.txt"], &["modified"]),
        (
            "broken.zip",
            &["no se puede leer el archivo comprimido (zip: "],
            &["the archive cannot be read"],
        ),
        (
            "bomb.png",
            &["! 30000 × 30000 píxeles son más de los 24 megapíxeles que decodifica"],
            &["pixels is more than"],
        ),
        ("long.txt", &["line 2000\n… (más de 2000 líneas)\n"], &["more than"]),
        ("blob.bin", &["… (4096 bytes en total)\n"], &["bytes in all"]),
    ];
    for ((name, bytes), (_, spanish, english)) in files.iter().zip(expected) {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let es = String::from_utf8(run("es", &path, false)).unwrap();
        for words in spanish {
            assert!(es.contains(words), "{name}: {words:?} missing:\n{es}");
        }
        for words in english {
            assert!(!es.contains(words), "{name}: {words:?} left in Spanish:\n{es}");
        }
        let json = run("en", &path, true);
        assert_eq!(json, run("es", &path, true), "{name}");
        assert!(
            !String::from_utf8_lossy(&json).contains('…'),
            "{name}: a marker in the JSON"
        );
    }
    let en = |name: &str| String::from_utf8(run("en", &dir.join(name), false)).unwrap();
    assert!(
        en("long.txt").ends_with("line 2000\n… (more than 2000 lines)\n"),
        "{}",
        en("long.txt")
    );
    assert!(
        en("blob.bin").ends_with("… (4096 bytes in all)\n"),
        "{}",
        en("blob.bin")
    );
    assert!(
        en("broken.zip").contains("! the archive cannot be read: "),
        "{}",
        en("broken.zip")
    );
}

/// Where each heading starts in a help text; panics naming the heading when
/// one is missing.
fn heading_order(help: &str, headings: &[&str]) -> Vec<usize> {
    headings
        .iter()
        .map(|heading| {
            help.lines()
                .position(|line| line == *heading)
                .unwrap_or_else(|| panic!("{heading:?} missing:\n{help}"))
        })
        .collect()
}

/// Spanish lists its headings in the English order: arguments, options
/// (`-h`, `-V`), then the global options; at the root and in a subcommand.
#[test]
fn spanish_help_lists_options_before_global_options_as_english_does() {
    let home = tempfile::TempDir::new().unwrap();
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["--help"],
            &["Options:", "Global options:"],
            &["Opciones:", "Opciones globales:"],
        ),
        (
            &["completions", "--help"],
            &["Arguments:", "Options:", "Global options:"],
            &["Argumentos:", "Opciones:", "Opciones globales:"],
        ),
        (
            &["download", "--help"],
            &["Arguments:", "Options:", "Global options:"],
            &["Argumentos:", "Opciones:", "Opciones globales:"],
        ),
        (
            &["status", "-h"],
            &["Options:", "Global options:"],
            &["Opciones:", "Opciones globales:"],
        ),
    ];
    for (args, english, spanish) in cases {
        for (lang, headings) in [("en", english), ("es", spanish)] {
            let (code, help, _) = run(bare_cmd(home.path()).env("TRACKLINE_LANG", lang).args(*args));
            assert_eq!(code, Some(0), "{args:?}");
            let at = heading_order(&help, headings);
            assert!(at.is_sorted() && at[0] < at[1], "{lang} {args:?}: {at:?}\n{help}");
        }
    }
    let (_, root, _) = run(bare_cmd(home.path()).args(["--lang", "es", "--help"]));
    let options = root.split("Opciones:\n").nth(1).unwrap();
    let options = options.split("\n\n").next().unwrap();
    assert_eq!(
        options, "  -h, --help     Muestra la ayuda\n  -V, --version  Muestra la versión",
        "{root}"
    );
    // Still parsed as before: -V prints the version, -h the help.
    let (code, version, _) = run(bare_cmd(home.path()).args(["--lang", "es", "-V"]));
    assert_eq!(code, Some(0));
    assert!(version.starts_with("trackline "), "{version}");
    let (code, help, _) = run(bare_cmd(home.path()).args(["--lang", "es", "status", "-h"]));
    assert_eq!(code, Some(0));
    assert!(help.starts_with("Quién ha iniciado sesión"), "{help}");
}

/// Words that were still English on a Spanish command line: a proxy that is
/// not one, a log level that is not one, a value that is not an address or a
/// number; English says them as before.
#[test]
fn proxy_log_level_and_value_mistakes_are_spanish() {
    let home = tempfile::TempDir::new().unwrap();
    let (code, _, stderr) = run(bare_cmd(home.path()).args(["--lang", "es", "--proxy", "ftp://x", "status"]));
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "trackline: --proxy: \"ftp://x\" no es una URL de proxy (el esquema debe ser http o https, no ftp); \
         escríbala como http://servidor:puerto o http://usuario:contraseña@servidor:puerto\n"
    );
    let (code, _, stderr) = run(bare_cmd(home.path())
        .env("HTTPS_PROXY", "http://ana:pw@")
        .args(["--lang", "es", "status"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("trackline: HTTPS_PROXY: \"http://***@\" no es una URL de proxy ("),
        "{stderr}"
    );
    let (_, _, stderr) = run(bare_cmd(home.path()).args(["--proxy", "ftp://x", "status"]));
    assert_eq!(
        stderr,
        "trackline: --proxy: \"ftp://x\" is not a proxy URL (the scheme must be http or https, not ftp); \
         write it as http://host:port or http://user:password@host:port\n"
    );

    let (_, _, stderr) = run(bare_cmd(home.path()).args(["--lang", "es", "--log-level", "bogus[", "status"]));
    assert!(
        stderr.starts_with("trackline: se ignora el nivel de registro \"bogus[\" ("),
        "{stderr}"
    );
    let (_, _, stderr) = run(bare_cmd(home.path()).args(["--log-level", "bogus[", "status"]));
    assert!(
        stderr.starts_with("trackline: ignoring the log level \"bogus[\" ("),
        "{stderr}"
    );

    for (args, said) in [
        (
            &["sandbox", "--listen", "bogus"][..],
            "no es una dirección: escríbala como IP:PUERTO",
        ),
        (&["sandbox", "--token-ttl", "x"], "no es un número entero"),
        (&["export", "--ids-from", "x", "--jobs", "x"], "no es un número entero"),
    ] {
        let (code, _, stderr) = run(bare_cmd(home.path()).env("TRACKLINE_LANG", "es").args(args));
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
}

/// One process, one document: said in the singular, in both languages.
#[test]
fn forgetting_an_index_of_one_process_says_it_in_the_singular() {
    for (lang, said) in [
        ("es", "1 proceso, 1 documento, 0 vigilados"),
        ("en", "1 process, 1 document, 0 watched"),
    ] {
        let rig = Rig::new();
        rig.login();
        rig.cmd().args(["process", "--id", "12345"]).assert().success();
        let (code, _, stderr) = run(rig.cmd().env("TRACKLINE_LANG", lang).args(["index", "--clear"]));
        assert_eq!(code, Some(0), "{stderr}");
        assert!(stderr.contains(said), "{lang}: {stderr}");
    }
}

/// What the OS says about a missing file is said in Spanish by
/// its kind, the path kept; English keeps the OS's own words.
#[test]
fn a_missing_ids_file_says_the_os_reason_in_spanish() {
    let home = tempfile::TempDir::new().unwrap();
    let missing = home.path().join("no-such-ids.txt");
    let (code, _, stderr) = run(bare_cmd(home.path())
        .args(["--lang", "es", "export", "--ids-from"])
        .arg(&missing));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no existe") && stderr.contains("no-such-ids.txt"),
        "{stderr}"
    );
    assert!(!stderr.contains("No such file"), "{stderr}");
    let (_, _, stderr) = run(bare_cmd(home.path()).args(["export", "--ids-from"]).arg(&missing));
    assert!(stderr.contains("No such file or directory (os error 2)"), "{stderr}");
}
