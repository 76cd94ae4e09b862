# trackline's English words. Every message here is in es.ftl too, with the
# same placeholders (the catalogue test checks it). Keys: lowercase, hyphens.

## Panes and dialogs
pane-search = Search
pane-recent = Recent
pane-process = Process
pane-documents = Documents
pane-downloads = Downloads
login-title = Log in to Trackline
help-title = Keys
profiles-title = Switch profile
profiles-active = (active)
profiles-keys = { $switch } switch  { $close } close

## Top bar
top-help = { $key } help
session-ends-in = ends in { $left }
session-ends-offer = session ends in { $left } — { $offer }
session-renews = renews by itself
session-key-to-log-in = { $key } to log in again
session-left = { $left } left
session-word-left = session { $left } left
session-expired = expired
session-word-expired = session expired
not-signed-in = not signed in
too-small = Terminal too small ({ $width }×{ $height }): make it at least { $min_width }×{ $min_height }

## Login dialog
login-intro = Sign in to look up processes and their documents.
login-email = Email
login-password = Password
login-server = Server
login-keep-password = Keep password in memory to renew the session
login-in-flight = Logging in…
login-type-email = Type your email
login-type-password = Type your password
login-type-server = Type the server's address, such as https://api.example.com/api
login-wrong-password = Wrong email or password — check them and press Enter
login-ends-soon = Your session ends soon. Log in again to start a new one.
login-session-ended = Your session has ended. Log in again to continue.
login-ended-download = Your session has ended. Log in again; the download continues after.
login-profile-signed-out = This profile is not signed in. Log in to continue.

## Help overlay
help-closes = { $keys } closes
help-or = or
help-col-keys = Keys
help-col-action = Action
help-col-where = Where

## Search and recent
search-key-to-search = { $key } to search
search-placeholder = process id or name, then Enter
recent-empty = No recent processes yet.
recent-type = Type a process id or name and press Enter.

## Process pane
process-range = { $first }–{ $last } of { $total }
process-looking-up = { $spinner } looking up { $what }…
process-looking = { $spinner } Looking it up…
process-cancels = { $key } cancels
process-type = Type a process id or name and press Enter.
process-digits = Digits look up an id; id: or name: forces one.
process-matches = { $count } processes match
process-choose-with = { " — " }choose one with { $key }
field-status = Status
status-changed = {" "}· changed { $when }
field-name = Name
field-id = Id
field-created = Created
field-type = Type
field-state = State

## Documents pane
documents-marked = { " · " }{ $count } marked
documents-look-up = Look up a process to see its documents.
documents-choose = Choose a process above to see its documents.
documents-filter = Filter ›
documents-none = This process has no documents.
documents-no-match = No document matches "{ $filter }" — edit the filter ({ $key } leaves it)

## Transfer states
state-running = running
state-queued = queued
state-done = done
state-failed = failed
state-cancelled = cancelled
state-verifying = verifying
state-retrying = retrying
state-resuming = resuming
state-failed-times = failed ×{ $tries }
downloads-resuming-at = resuming at { $size }
downloads-empty = No downloads yet: select a document, press { $keys }.

downloads-verifying-bytes = { $spinner } verifying the partial file ({ $size })
downloads-verifying = { $spinner } verifying the partial file
count-of = { $shown } of { $total }

## Hint labels (one per label of src/tui/bindings.rs: "hint-" and the label, spaces and / as -)
hint-log-in = log in
hint-next-field = next field
hint-close = close
hint-quit = quit
hint-previous-field = previous field
hint-tick-the-box = tick the box
hint-suspend = suspend
hint-switch = switch
hint-move = move
hint-scroll = scroll
hint-look-up = look up
hint-recent = recent
hint-next-pane = next pane
hint-leave-box = leave box
hint-previous-pane = previous pane
hint-done = done
hint-leave-filter = leave filter
hint-search = search
hint-help = help
hint-copy-id = copy id
hint-cancel-the-lookup = cancel the lookup
hint-log-out = log out
hint-switch-profile = switch profile
hint-reload = reload
hint-choose = choose
hint-download = download
hint-mark = mark
hint-download-marked-all = download marked/all
hint-open = open
hint-filter = filter
hint-copy-the-id-or-saved-path = copy the id or saved path
hint-cancel = cancel
hint-retry = retry
hint-cancel-all = cancel all
hint-copy = copy
hint-watch = watch
hint-unwatch = unwatch
hint-watch-the-process = watch the process
hint-watch-the-shown-process = watch the shown process
hint-preview = preview
hint-scroll-the-preview = scroll the preview

## Help: what each action does ("action-" and its config name) and where
action-quit = quit
action-help = show or hide this help
action-next_pane = next pane or field
action-prev_pane = previous pane or field
action-focus_search = focus the search box
action-submit = look up / log in / choose
action-cancel = close / cancel the request / leave the box
action-up = move up
action-down = move down
action-page_up = page up
action-page_down = page down
action-home = first row
action-end = last row
action-download = download the selected document
action-mark = mark / unmark
action-download_all = download marked (or all)
action-open = open the downloaded file
action-filter = filter by name or type
action-cancel_download = cancel the download
action-cancel_all = cancel all downloads
action-retry = retry download / reload process
action-copy = copy the id, saved path or SHA-256
action-logout = log out (or in)
action-switch_profile = switch profile
action-suspend = suspend to the shell
action-force_quit = quit at once
action-watch = watch / unwatch the shown process
action-preview = show / hide the preview
action-preview_down = scroll the preview down
action-preview_up = scroll the preview up
place-anywhere = anywhere
place-not-typing = not typing
place-search-login = search, login
place-lists = lists
place-documents = documents
place-documents-downloads = documents, downloads
place-downloads-process = downloads, process
place-downloads = downloads
place-lists-process = lists, process

## Dates and relative times
time-just-now = just now
time-ago = { $n } { $unit } ago
time-in = in { $n } { $unit }
unit-minute = { $n ->
    [one] minute
   *[other] minutes
}
unit-hour = { $n ->
    [one] hour
   *[other] hours
}
unit-day = { $n ->
    [one] day
   *[other] days
}
unit-month = { $n ->
    [one] month
   *[other] months
}
unit-year = { $n ->
    [one] year
   *[other] years
}

## Command line
cli-error = trackline: { $message }
lang-unknown-config = lang = "{ $value }" in { $path } is not a language trackline speaks: use "en" or "es"

## Errors of the API (the server's own words come in { $detail } as sent)
api-bad-credentials = wrong email or password{ $detail }
api-not-logged-in = not logged in: run `trackline login` (or set TRACKLINE_EMAIL and TRACKLINE_PASSWORD)
api-unauthorized = the session has expired or was refused{ $detail }: run `trackline login` again
api-not-found = { $what } was not found{ $detail }
api-rate-limited = the server is rate limiting requests; try again later
api-rate-limited-after = the server is rate limiting requests (retry after { $secs } s); try again later
api-server = the server answered { $status }{ $detail }
api-timeout = the server at { $host } did not answer in time; check the connection and try again
api-connect = cannot reach { $host }: { $reason }
api-insecure-url = refusing plain http to { $url }: use https, or pass --allow-insecure-http if you trust the network
session-expired-cli = the session of { $email } ended at { $when } UTC ({ $ago }); log in again with `trackline login`
config-missing = the config file { $path } does not exist; check --config / TRACKLINE_CONFIG, or create it with `trackline config init`
downloads-saved = saved { $path } · sha256 { $sha256 }
downloads-failed-retry = { $error } — { $key } retries
