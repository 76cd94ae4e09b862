//! What the keys do in each place: one table per pane, from which the app
//! dispatches a key, the hint line is drawn, and key conflicts are found (two
//! actions conflict when one key triggers both in the same pane).
//!
//! A pane does exactly what its table lists: `App::update` looks a key's
//! actions up here before acting, and a test checks that the actions each
//! pane handles are the ones its table lists.

use super::keymap::Action;

/// A place that takes keys: a pane, a text box or an overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Pane {
    /// The login dialog (its text fields and the checkbox).
    Login,
    /// The profile chooser overlay.
    Profiles,
    /// The help overlay.
    Help,
    /// The search box.
    Search,
    /// The documents' filter box.
    Filter,
    /// The recent processes.
    Recent,
    /// The watched processes.
    Watched,
    /// The process details.
    Process,
    /// The chooser shown when a name matches several processes.
    Choices,
    /// The documents table.
    Documents,
    /// The entries of the archive the preview shows (`e`), while one is chosen.
    Entries,
    /// The downloads.
    Downloads,
}

/// One action a pane takes, and what it does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Binding {
    /// The action.
    pub(crate) action: Action,
    /// What it does here, in the hint line's words; neighbouring shown
    /// bindings with the same label make one hint (`↑↓ move`).
    pub(crate) label: &'static str,
    /// Whether the hint line shows it: the line has room for the most useful
    /// few, and help lists every key.
    pub(crate) shown: bool,
}

/// A binding the hint line shows.
const fn hint(action: Action, label: &'static str) -> Binding {
    Binding {
        action,
        label,
        shown: true,
    }
}

/// A binding that works without a place in the hint line.
const fn also(action: Action, label: &'static str) -> Binding {
    Binding {
        action,
        label,
        shown: false,
    }
}

use Action::*;

const LOGIN: &[Binding] = &[
    hint(Submit, "log in"),
    hint(NextPane, "next field"),
    hint(Cancel, "close"),
    hint(ForceQuit, "quit"),
    also(PrevPane, "previous field"),
    also(Down, "next field"),
    also(Up, "previous field"),
    also(Mark, "tick the box"),
    also(Suspend, "suspend"),
];

const PROFILES: &[Binding] = &[
    hint(Submit, "switch"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(Cancel, "close"),
    hint(Quit, "quit"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(SwitchProfile, "close"),
    also(ForceQuit, "quit"),
    also(Suspend, "suspend"),
];

const HELP: &[Binding] = &[
    hint(Cancel, "close"),
    hint(Up, "scroll"),
    hint(Down, "scroll"),
    hint(Quit, "quit"),
    also(PageUp, "scroll"),
    also(PageDown, "scroll"),
    also(Home, "scroll"),
    also(End, "scroll"),
    also(Help, "close"),
    also(ForceQuit, "quit"),
    also(Suspend, "suspend"),
];

const SEARCH: &[Binding] = &[
    hint(Submit, "look up"),
    hint(Down, "recent"),
    hint(NextPane, "next pane"),
    hint(Cancel, "leave box"),
    hint(ForceQuit, "quit"),
    also(PrevPane, "previous pane"),
    also(Suspend, "suspend"),
];

const FILTER: &[Binding] = &[
    hint(Submit, "done"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(Cancel, "leave filter"),
    hint(ForceQuit, "quit"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(NextPane, "next pane"),
    also(PrevPane, "previous pane"),
    also(Suspend, "suspend"),
];

const RECENT: &[Binding] = &[
    hint(Submit, "look up"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(FocusSearch, "search"),
    hint(NextPane, "next pane"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    hint(Copy, "copy id"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(Logout, "log out"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Watch, "watch the shown process"),
    also(Suspend, "suspend"),
];

const WATCHED: &[Binding] = &[
    hint(Submit, "open"),
    hint(Watch, "unwatch"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(FocusSearch, "search"),
    hint(NextPane, "next pane"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    also(Copy, "copy id"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(Logout, "log out"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Suspend, "suspend"),
];

const PROCESS: &[Binding] = &[
    hint(Retry, "reload"),
    hint(Up, "scroll"),
    hint(Down, "scroll"),
    hint(FocusSearch, "search"),
    hint(NextPane, "next pane"),
    hint(Logout, "log out"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    hint(Copy, "copy id"),
    hint(Watch, "watch"),
    also(PageUp, "scroll"),
    also(PageDown, "scroll"),
    also(Home, "scroll"),
    also(End, "scroll"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Suspend, "suspend"),
];

const CHOICES: &[Binding] = &[
    hint(Submit, "choose"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(FocusSearch, "search"),
    hint(NextPane, "next pane"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(Retry, "reload"),
    also(Copy, "copy id"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(Logout, "log out"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Watch, "watch the shown process"),
    also(Suspend, "suspend"),
];

const DOCUMENTS: &[Binding] = &[
    hint(Download, "download"),
    hint(Mark, "mark"),
    hint(DownloadAll, "download marked/all"),
    hint(Open, "open"),
    hint(Preview, "preview"),
    hint(Filter, "filter"),
    hint(FocusSearch, "search"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    also(PreviewDown, "scroll the preview"),
    also(PreviewUp, "scroll the preview"),
    also(Entries, "choose an entry"),
    also(Up, "move"),
    also(Down, "move"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(Copy, "copy the id or saved path"),
    also(NextPane, "next pane"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(Logout, "log out"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Watch, "watch the process"),
    also(Suspend, "suspend"),
];

const ENTRIES: &[Binding] = &[
    hint(Submit, "preview the entry"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(Cancel, "back"),
    hint(Entries, "leave the entries"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    also(PreviewDown, "scroll the preview"),
    also(PreviewUp, "scroll the preview"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(Preview, "preview"),
    also(NextPane, "next pane"),
    also(PrevPane, "previous pane"),
    also(ForceQuit, "quit"),
    also(Suspend, "suspend"),
];

const DOWNLOADS: &[Binding] = &[
    hint(CancelDownload, "cancel"),
    hint(Retry, "retry"),
    hint(Open, "open"),
    hint(Up, "move"),
    hint(Down, "move"),
    hint(CancelAll, "cancel all"),
    hint(Copy, "copy"),
    hint(Help, "help"),
    hint(Quit, "quit"),
    also(PageUp, "move"),
    also(PageDown, "move"),
    also(Home, "move"),
    also(End, "move"),
    also(FocusSearch, "search"),
    also(NextPane, "next pane"),
    also(PrevPane, "previous pane"),
    also(Cancel, "cancel the lookup"),
    also(Logout, "log out"),
    also(SwitchProfile, "switch profile"),
    also(ForceQuit, "quit"),
    also(Watch, "watch the shown process"),
    also(Suspend, "suspend"),
];

impl Pane {
    /// Every pane.
    pub(crate) const ALL: [Pane; 12] = [
        Pane::Login,
        Pane::Profiles,
        Pane::Help,
        Pane::Search,
        Pane::Filter,
        Pane::Recent,
        Pane::Watched,
        Pane::Process,
        Pane::Choices,
        Pane::Documents,
        Pane::Entries,
        Pane::Downloads,
    ];

    /// The pane's table, the hint line's order.
    pub(crate) fn bindings(self) -> &'static [Binding] {
        match self {
            Pane::Login => LOGIN,
            Pane::Profiles => PROFILES,
            Pane::Help => HELP,
            Pane::Search => SEARCH,
            Pane::Filter => FILTER,
            Pane::Recent => RECENT,
            Pane::Watched => WATCHED,
            Pane::Process => PROCESS,
            Pane::Choices => CHOICES,
            Pane::Documents => DOCUMENTS,
            Pane::Entries => ENTRIES,
            Pane::Downloads => DOWNLOADS,
        }
    }

    /// Whether the pane takes `action`.
    pub(crate) fn binds(self, action: Action) -> bool {
        self.bindings().iter().any(|b| b.action == action)
    }

    /// The hint line: (actions, label) for each shown hint, neighbours with
    /// one label merged.
    pub(crate) fn hints(self) -> Vec<(Vec<Action>, &'static str)> {
        let mut hints: Vec<(Vec<Action>, &'static str)> = Vec::new();
        for b in self.bindings().iter().filter(|b| b.shown) {
            match hints.last_mut() {
                Some((actions, label)) if *label == b.label => actions.push(b.action),
                _ => hints.push((vec![b.action], b.label)),
            }
        }
        hints
    }
}

/// Whether some pane takes both actions, so one key cannot trigger both.
pub(crate) fn meet(first: Action, second: Action) -> bool {
    Pane::ALL.iter().any(|p| p.binds(first) && p.binds(second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pane_lists_each_action_once_with_a_label() {
        for pane in Pane::ALL {
            let bindings = pane.bindings();
            for (i, b) in bindings.iter().enumerate() {
                assert!(!b.label.is_empty(), "{pane:?} {:?}", b.action);
                assert!(
                    !bindings[i + 1..].iter().any(|o| o.action == b.action),
                    "{pane:?} lists {:?} twice",
                    b.action
                );
            }
            assert!(!pane.hints().is_empty(), "{pane:?} has no hint");
            assert!(pane.binds(ForceQuit) && pane.binds(Suspend), "{pane:?}");
        }
    }

    #[test]
    fn every_action_works_somewhere() {
        for action in Action::ALL {
            assert!(Pane::ALL.iter().any(|p| p.binds(action)), "{action:?} works nowhere");
        }
    }

    #[test]
    fn neighbours_with_one_label_make_one_hint() {
        let hints = Pane::Downloads.hints();
        assert_eq!(hints[3], (vec![Up, Down], "move"));
        assert!(!hints.iter().any(|(actions, _)| actions.contains(&PageDown)));
    }

    #[test]
    fn actions_meet_where_a_pane_takes_both() {
        assert!(meet(Quit, Download));
        assert!(meet(Open, Download));
        assert!(
            !meet(Submit, Download),
            "Enter submits in boxes and downloads in the table"
        );
        assert!(!meet(CancelDownload, Download));
        assert!(meet(Submit, Mark), "the login dialog takes both");
    }
}
