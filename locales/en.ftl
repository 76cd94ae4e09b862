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
downloads-running = { $count ->
    [one] { $n } running
   *[other] { $n } running
}
downloads-queued = { $count ->
    [one] { $n } queued
   *[other] { $n } queued
}
downloads-done = { $count ->
    [one] { $n } done
   *[other] { $n } done
}
downloads-failed = { $count ->
    [one] { $n } failed
   *[other] { $n } failed
}
downloads-cancelled = { $count ->
    [one] { $n } cancelled
   *[other] { $n } cancelled
}
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
hint-choose-an-entry = choose an entry
hint-preview-the-entry = preview the entry
hint-back = back
hint-leave-the-entries = leave the entries

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
action-entries = choose an entry of the archive shown
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

## Errors of the API, the rest
what-process = process { $id }
what-attachment = attachment { $id }
api-body-starting = { " " }starting { $snippet }
api-unexpected-body = expected JSON, got { $content_type }{ $start }
api-bad-json = the server sent JSON the client cannot read: { $reason }
api-too-large = the server sent more than { $limit } bytes of metadata; refusing to read it
api-invalid-url = invalid server URL { $url }: { $reason }
api-redirect-refused = the server redirected to { $to }, another origin; not following it so the token stays with { $from }
api-tls = cannot connect securely to { $host }: { $problem }. If your network inspects TLS with its own certificate authority (a company proxy or firewall), pass that authority's certificate with --ca-cert FILE (or TRACKLINE_CA_CERT, or ca_cert in the config file)
api-proxy-auth = the proxy { $proxy } refused the request (407 Proxy Authentication Required): give its user and password in the proxy URL, as http://USER:PASSWORD@HOST:PORT in --proxy, HTTPS_PROXY (or HTTP_PROXY) or proxy in the config file; percent-encode @, : and / inside them
api-proxy-refused = the proxy { $proxy } refused to connect to { $host }: check the user and password in the proxy URL (http://USER:PASSWORD@HOST:PORT), that the proxy may connect to that host and port, or set NO_PROXY for a server it should not handle
api-bad-ca-file = cannot use the certificate file { $path } (from { $from }): { $reason }; give a PEM file of certificates (-----BEGIN CERTIFICATE-----)
api-http = request failed: { $reason }
tls-unknown-issuer = its certificate is signed by an unknown certificate authority (unknown issuer)
tls-wrong-name = its certificate is for another name (wrong name)
tls-expired = its certificate has expired
tls-not-valid-yet = its certificate is not valid yet; check this computer's clock
tls-revoked = its certificate has been revoked
tls-invalid = its certificate is not valid
tls-failed = the secure connection failed

## Errors of downloads, the config, trackline's files, previews and the index
transfer-io = cannot write { $path }: { $reason }{ $hint }
transfer-hint-full = { " " }— the disk is full or a file size limit was reached: free some space (the partial download is kept and resumes) or choose another folder for downloads
transfer-hint-read-only = { " " }— the folder is not writable: fix its permissions or choose another folder for downloads
transfer-hint-not-a-folder = { " " }— the download folder cannot be created there: choose another folder for downloads
transfer-exists = { $path } already exists; not overwriting it (remove it or choose another file name)
transfer-incomplete = the download ended after { $received } of { $expected } bytes; the partial file is kept at { $part }; try again
transfer-too-long = the server sent more than the { $expected } bytes it announced; the file was discarded
transfer-interrupted = the connection broke after { $received } bytes ({ $reason }); the partial file is kept at { $part }; try again
transfer-cancelled = cancelled
config-read = cannot read the config file { $path }: { $reason }
config-bad-file = bad config file { $path }
config-at-line = , line { $line }
config-at-column = , column { $column }
config-unknown-profile = unknown profile { $quoted }; known profiles: { $known }. Add a [profiles.{ $name }] table to the config file, or create it with `trackline login --profile { $name } --base-url URL`
config-no-home = cannot find the home directory to keep trackline's files in; set HOME
log-bad-level = trackline: ignoring the log level { $level } ({ $reason }); using info. Give error, warn, info, debug or trace
store-read = cannot read { $path }: { $reason }
store-write = cannot write { $path }: { $reason }
store-corrupt = { $path } is damaged ({ $reason }); delete it (`trackline logout`) and log in again
store-interrupted = the work on trackline's files stopped: { $reason }
profile-empty = a profile name cannot be empty
preview-too-large = attachment { $id } has { $mib } MiB, more than the { $max } MiB preview cache (the preview_cache_mb setting); download it and read the saved file
inspect-unreadable = cannot read { $path }: { $reason }; check that it exists and that you may read it
inspect-cancelled = the preview was cancelled
inspect-out-of-time = reading the document took longer than { $seconds } s; it may be hostile or very large
index-read-only = cannot write the index { $path } ({ $reason }); make its folder writable to have searches remember processes
index-damaged = the index { $path } is damaged ({ $reason }); `trackline index --clear` starts it over
index-newer = the index { $path } is from a newer trackline ({ $reason })
index-sql = the index { $path } failed: { $reason }
search-query-empty = type a word to search for (a process id, a name, a document name)
search-query-too-long = that search is { $n } characters long; the limit is { $max }: search for a few words of the name
search-query-too-many-words = that search has { $n } words; the limit is { $max }: a few distinctive words find more
stdout-closed = standard output was closed

## login, logout, status
cli-warning = trackline: warning: { $warning }
login-no-email = no email: pass --email or set TRACKLINE_EMAIL
login-password-for = Password for { $email }:{ " " }
login-cannot-read-password = cannot read the password: { $reason }
login-no-password = no password: pass --password-stdin, set TRACKLINE_PASSWORD, or run in a terminal
login-expires = ; the session expires { $when }
login-done = Logged in as { $email } at { $server } (profile { $profile }){ $expires }
login-email-prompt-last = Email [{ $last }]:{ " " }
login-email-prompt = Email:{ " " }
login-cannot-prompt = cannot prompt: { $reason }
login-cannot-read-email = cannot read the email: { $reason }
login-no-email-given = no email given
login-cannot-read-stdin = cannot read the password from standard input: { $reason }
login-stdin-empty = the password on standard input is empty
logout-done = Logged out of profile { $profile }
logout-nowhere = Not logged in anywhere; nothing to do
logout-not-logged-in = Not logged in; nothing to do
status-profile = Profile:
status-server = Server:
status-proxy = Proxy:
status-ca-certs = CA certs:
status-log-file = Log file:
status-email = Email:
status-session = Session:
status-ca-file = { $path } (from { $from })
status-ca-besides = { $files } (besides the system's)
status-session-other-server = none for this server (the stored one is for { $server })
status-session-expired = expired { $when }; run `trackline login`
status-session-valid = valid, expires { $when }
status-session-none = not logged in; run `trackline login`
expiry-unknown = at an unknown time (the token carries no expiry)
expiry-at = at { $when } UTC ({ $ago })
proxy-none = none
proxy-bypassed = none ({ $by } names this server; { $proxy } is not used)
proxy-via = { $proxy } (from { $from })
retry-line = trackline: { $reason }; retrying in { $secs } s (attempt { $attempt } of { $max })
transfer-ended-after = the download ended after { $received } of { $expected } bytes
transfer-broke-after = the connection broke after { $received } bytes ({ $reason })

## download, export, progress bars
progress-files = files
progress-total = total
progress-eta = ETA
progress-time-second = { $n }s
progress-time-minute = { $n }m
progress-time-hour = { $n }h
progress-time-day = { $n }d
progress-time-week = { $n }w
progress-time-year = { $n }y
download-output-one = --output FILE takes exactly one ATTACHMENT_ID
download-nothing = trackline: nothing to download
download-already-saved = trackline: attachment { $id } is already saved, unchanged, at { $path }; --force saves a new copy
download-all-failed = trackline: all { $total } downloads failed
download-some-failed = trackline: { $n } of { $total } downloads failed; the others are saved
download-attachment-error = trackline: attachment { $id }: { $message }
download-not-a-folder = { $path } is not a folder: give -o an existing or new folder (or --output FILE for one attachment)
download-no-such-type = trackline: process { $id } has no documents of that type
download-cannot-open = trackline: cannot open the file: { $reason }; it is saved at { $path }
ids-cannot-read = cannot read --ids-from { $path }: { $reason }
ids-bad-utf16 = the file says it is UTF-16 but is not; save it as CSV UTF-8
ids-not-utf8 = line { $line }, byte { $byte } is not UTF-8 (the file is probably Latin-1 or Windows-1252): save it from the spreadsheet as "CSV UTF-8" (or as UTF-8 text) and try again
ids-not-an-id = line { $line }: { $text } is not a process id; skipped
export-no-ids = trackline: { $path } lists no process ids; nothing to export
export-cannot-create = cannot create { $path }: { $reason }
export-bad-manifest = trackline: ignoring the previous manifest ({ $reason }); every file is downloaded again
export-document-error = trackline: process { $process } document { $document }: { $message }
export-summary = trackline: { $downloaded } downloaded, { $unchanged } unchanged, { $failed } failed; manifest: { $path }

## index
index-no-ids = trackline: { $path } lists no process ids; nothing to index
index-cannot-open = cannot open the index: { $reason }
index-stopped = trackline: stopped; { $processes ->
    [one] the 1 process
   *[other] the { $processes } processes
} looked up so far { $processes ->
    [one] is
   *[other] are
} in the index
index-process-error = trackline: process { $id }: { $message }
index-summary = trackline: { $processes ->
    [one] 1 process
   *[other] { $processes } processes
} with { $documents ->
    [one] 1 document
   *[other] { $documents } documents
} in the index of profile { $profile }; { $not_found } not found, { $failed } failed
index-none = trackline: profile { $profile } has no index; nothing to forget
index-forgot = trackline: forgot the index of profile { $profile }: { $processes ->
    [one] 1 process
   *[other] { $processes } processes
}, { $documents ->
    [one] 1 document
   *[other] { $documents } documents
}, { $watched } watched
progress-processes = processes
progress-looking-up = looking up

## watch
watch-no-ids = no process to watch: give process ids, or an --ids-from file that lists some
watch-nothing-watched = no process to watch: give process ids or an --ids-from file; profile { $profile } watches nothing yet (w in the TUI watches a process)
watch-paused = trackline: { $message }; no checks until the server answers (next try in { $secs } s)
watch-resumed = trackline: the server answers again; watching goes on
watch-still = trackline: { $message }; still watching it
watch-process-still = trackline: process { $id }: { $message }; still watching it

## search and history
search-control-removed = trackline: warning: control characters were removed from the search; searching for "{ $query }"
search-no-index = trackline: nothing is indexed for profile { $profile } yet: processes are remembered as they are looked up (`trackline process`, `download`, `export`, the TUI), or many at once with `trackline index --ids-from FILE`
search-no-match = trackline: nothing in the index of profile { $profile } matches "{ $query }"
search-some-shown = trackline: { $shown } of { $total } matches shown; --limit shows more
search-best-shown = trackline: the { $shown } best matches shown; --limit shows more
search-stopped = the search stopped: { $reason }
history-no-id = give the id of a process
history-never-seen = trackline: process { $id } was never seen with profile { $profile }: `trackline process --id { $id }` looks it up and starts its history
column-kind = KIND
column-process = PROCESS
column-name = NAME
column-document = DOCUMENT
column-status = STATUS
column-seen = SEEN
column-when = WHEN
index-repaired = the index { $path } was not a usable database ({ $reason }); it was moved to { $aside } and a new one started: processes are remembered again as they are looked up
keyring-unavailable = the OS keyring is not available ({ $reason }); the token is kept in { $path } (mode 0600) instead

## config
config-init-exists = { $path } already exists; not overwriting it (edit it, or move it away and run this again)
config-init-done = trackline: wrote a commented template; `trackline config show` prints the settings in effect
config-show-read = read
config-show-defaults = not present: defaults
config-value-none = (none)
config-value-not-found = { $path } (not found)
config-value-system-opener = (system default)
config-value-default-keys = (defaults)
config-value-theme-colors = (the theme's)
config-value-lang = { $lang } ({ $from })
profiles-col-profile = PROFILE
profiles-col-state = STATE
profiles-col-email = EMAIL
profiles-col-server = SERVER
profiles-expired = expired
profiles-logged-in = logged in
profiles-logged-out = logged out
search-kind-process = process
search-kind-document = document
source-default = default
source-remembered = last login
source-file = config file
source-env = environment
source-flag = command line
cli-no-runtime = cannot start the async runtime: { $reason }
cli-no-sandbox = this build has no sandbox: rebuild with the default features to use `trackline demo`
process-no-query = give a non-empty --id or --name
keys-unknown-action = unknown action { $name } in [keys]; known actions: { $known }
keys-bad-key = [keys] { $action }: { $reason }
keys-conflict = [keys]: { $key } is bound to both { $first } and { $second }; give one of them another key
keys-no-keys = [keys] { $action }: give at least one key

## inspect
inspect-no-source = give an ATTACHMENT_ID or --file PATH
inspect-file = File
inspect-kind = Kind
inspect-kind-value = { $kind } · { $media_type } · { $bytes } bytes
inspect-pages = Pages
inspect-title = Title
inspect-producer = Producer
inspect-created = Created
inspect-embedded = Embedded
inspect-picture = Picture
inspect-picture-value = { $width } × { $height } pixels, { $format }, orientation { $orientation }
inspect-warnings = Warnings
inspect-type-invoice = invoice
inspect-type-credit-note = credit note
inspect-e-invoice = E-invoice
inspect-profile = Profile
inspect-number = Number
inspect-issued = Issued
inspect-issued-value = { $issued }   due { $due }
inspect-currency = Currency
inspect-seller = Seller
inspect-buyer = Buyer
inspect-net = Net
inspect-tax = Tax
inspect-tax-line = { $category } { $rate } of { $base } = { $amount }
inspect-withheld = Withheld
inspect-total = Total
inspect-payable = Payable
inspect-signed = Signed
inspect-signed-value = yes (the signature is not verified)
inspect-lines = Lines
inspect-more-lines = … { $n } more lines (--json lists them)
inspect-checks = Checks
inspect-no-checks = (the document has too few figures to check)
inspect-check-ok = ok
inspect-check-bad = BAD
check-lines = lines
check-line-amounts = line_amounts
check-net = net
check-tax-rates = tax_rates
check-tax-total = tax_total
check-grand-total = grand_total
check-payable = payable
check-off = { $what } { $computed }, but the document says { $stated } (off by { $off })
check-lines-add-up = the { $n ->
    [one] 1 line
   *[other] { $n } lines
} add up to
check-net-comes-to = the lines, charges and allowances come to
check-taxes-add-up = the taxes of the { $n ->
    [one] 1 rate
   *[other] { $n } rates
} add up to
check-net-plus-tax = net + tax
check-minus-withheld = { " " }− withheld
check-plus-charges = { " " }+ other charges
check-grand-total-is = the grand total =
check-grand-total-adjusted = the grand total { $sign } { $adjustment } =
check-line-off = line { $line }: { $quantity } × { $price }{ $adjusted } = { $computed }, but the line says { $amount }
check-line-adjusted = { " " }± charges and allowances
check-line-amounts-ok = quantity × price = amount on { $n ->
    [one] 1 line
   *[other] { $n } lines
}
check-rate-off = { $rate }% of { $base } = { $computed }, but the document says { $amount }
check-tax-rates-ok = rate × base = tax for { $n ->
    [one] 1 rate
   *[other] { $n } rates
}
kind-image = image
kind-archive = archive
kind-text = text
kind-binary = binary
process-label = Process
column-id = ID
column-type = TYPE
origin-from = from { $name }
origin-not-the-profiles = { $from }, not the profile's { $own }

## TUI messages (update and the views)
login-check-server = { $error } — check the Server field and try again
session-renewed = Session renewed with the password kept in memory
profile-cannot-switch = Cannot switch to profile { $profile }: { $error }
profiles-only-one = Only one profile ({ $profile }): add a [profiles.NAME] table to config.toml for more
already-saved = Already saved: { $path }
retry-summary = retrying in { $secs } s (attempt { $attempt } of { $max })
opened = Opened { $file }
open-failed = Could not open { $file }: { $error } — the file is at { $path }
index-cannot-search = The local index cannot be searched: { $error }
copy-nothing = Nothing selected to copy
copy-again-sha = { " " }({ $key } again copies its SHA-256)
copied = copied the { $what }{ $again }: { $text }
copy-what-process-id = process id
copy-what-document-id = document id
copy-what-saved-path = saved path
copy-what-sha-256 = SHA-256
prompt-running = { $count ->
    [one] 1 download running
   *[other] { $n } downloads running
}
prompt-quit-short = { $what } — { $quit } again quits, { $stay } stays
prompt-quit = { $what } — { $quit } again to quit (they resume next time), { $stay } to stay
prompt-download-many = Download { $n } documents? Enter/y yes, { $stay } no
prompt-save-again-short = Saved before — { $again } again saves a new copy
prompt-save-again = Saved before — { $again } again saves a new copy, { $stay } keeps the one there
nothing-downloaded = Nothing downloaded
lookup-not-signed-in = You are not signed in
login-to-look-up = You are not signed in. Log in to look up { $query }.
lookup-session-ended = The session has ended
lookup-no-id = No process { $id } — check the id, or search by name
lookup-no-name = No process named "{ $name }". Names must match exactly, capitals included
lookup-closest = Closest recent: { $names }
next-log-in-then = Log in to continue; the lookup runs after
next-log-in-look-up = Press { $key } to log in and look it up
next-log-in = Press { $key } to log in
next-open-closest = Press { $down } and { $submit } to open the closest, or edit the search and press { $submit }
next-edit-search = Edit the search and press { $key }
next-open-selected = Press { $submit } to open the selected one, or { $search } to search again
next-search-again = Press { $key } to search again
next-try-again = Press { $key } to try again
next-retry-or-search = Press { $retry } to try again, or { $search } to search
next-search-or-retry = Press { $search } to search again, or { $retry } in the process pane to try again
query-empty = type a process id or name to search
query-empty-after = type something after '{ $prefix }:'
query-too-long = that search is too long ({ $n } characters); the limit is { $max }
query-id = process { $id }
query-name = process named "{ $name }"
cached-offline = offline: cached, { $ago }
cached-ago = cached, { $ago }
cached-refreshing = { " " }{ $spinner } refreshing
already-downloading = { $name } is already downloading
no-document-to-download = No document to download
all-already-saved = { $n } already saved: nothing downloaded ({ $key } on one says where)
one-already-downloaded = That document is already downloaded or on its way — { $key } opens it
all-already-downloaded = All { $n } are already downloaded or on their way
another-process-shown = Another process is shown now: nothing downloaded
queued-downloads = { $count ->
    [one] Queued { $n } download
   *[other] Queued { $n } downloads
}
queued-skipped-saved = ; skipped { $n } already saved
queued-skipped-on-way = { " " }({ $n } already downloaded or on their way)
not-downloaded-yet = Not downloaded yet — press { $key } to download it
download-not-finished = That download has not finished yet
nothing-to-cancel-one = Nothing to cancel: that download is not queued or running
trying-again = Trying { $name } again…
only-failed-retried = Only a failed or cancelled download can be retried
nothing-to-cancel = Nothing to cancel: no download is queued or running
cancelled-downloads = { $count ->
    [one] Cancelled { $n } download; r on one starts it again
   *[other] Cancelled { $n } downloads; r on one starts it again
}
watch-nothing-shown = No process shown to watch: look one up first
watch-stopped = Stopped watching { $id }
watch-not-kept = The watched list will not be kept after this session: { $reason }
watch-started = Watching { $id }: a change of its status rings the bell ({ $key } again stops)
saving-new-copy = Saving a new copy
pane-preview = Preview
preview-range = { " " }{ $first }–{ $last } of { $total } · { $keys } scroll{ " " }
preview-select = Select a document to preview it.
preview-look-up = Look up a process to preview its documents.
preview-reading = { $spinner } Reading…
preview-failed = Cannot preview: { $error }
preview-entry-folder = { $name } is a folder: choose a file in it.
preview-entry-encrypted = { $name } is encrypted: it is not read.
preview-entry-too-deep = { $name } is an archive nested more than { $max } deep: it is not opened.
preview-entries-hint = { " " }{ $key } choose an entry{ " " }
preview-entry-keys = { " " }{ $key } preview · { $back } back{ " " }
preview-page-failed = page 1 could not be drawn: { $error }
page-no-pages = the PDF has no pages
page-unreadable = the PDF cannot be read (or is encrypted)
page-no-size = the page has no size
page-too-large = something in it is too large to draw ({ $what })
page-malformed = the PDF is malformed
page-out-of-time = drawing it took longer than { $seconds } s
pane-matches = Matches
matches-none = Nothing in the local index matches.
matches-searching = Searching the local index…
matches-enter-asks = { $key } asks the server for the text typed.
pane-watched = Watched
watched-unseen = { " · " }{ $n } changed
watched-paused = { " " }checks wait: { $error }{ " " }
watched-empty = Nothing watched. Press { $key } on a process to watch it.
watched-col-id = id
watched-col-status = status
watched-col-changed = changed
watched-col-checked = checked
watched-checked-ago = { " " }checked { $ago } ago{ " " }
watched-not-checked = { " " }not checked yet{ " " }
failed-again = { $name } failed again (try { $tries }): { $error }
downloads-eta = ETA { $time }
state-saved = ✓ saved
notify-no-status = no status
inspect-warn-not-decimal = { $what } is not a decimal number: { $text }
inspect-warn-archive-unreadable = the archive cannot be read: { $error }
inspect-warn-archive-many = the archive has { $count } entries; the first { $listed } are listed
inspect-warn-archive-climbing = { $count } entries have names that leave their folder (absolute or with ..); they are shown, never extracted
inspect-warn-archive-claims = the entries claim { $claimed } MiB unpacked, more than the { $allowed } MiB allowed: an archive bomb? entries larger than { $entry } MiB are not unpacked
inspect-warn-archive-ratio = { $name } unpacks { $times } times its packed size: an archive bomb? it is not unpacked
inspect-warn-no-fattura-body = the file holds no FatturaElettronicaBody
inspect-warn-many-bodies = the file holds { $count } invoices (bodies); this is the first
inspect-warn-no-cii-transaction = the document has no SupplyChainTradeTransaction: parties and totals are missing
inspect-warn-no-ubl-totals = the document has no LegalMonetaryTotal: totals are missing
inspect-warn-no-facturae-invoice = the file holds no Invoice
inspect-warn-many-invoices = the file holds { $count } invoices; this is the first
inspect-warn-no-facturae-totals = the invoice has no InvoiceTotals
inspect-warn-json-deep = the JSON is nested too deeply to show (over 128 levels)
inspect-warn-encoding = the text is in { $encoding }
inspect-warn-picture-large = { $width } × { $height } pixels is more than the { $limit } megapixels a preview decodes
inspect-warn-picture-unreadable = the picture cannot be read: { $error }
inspect-warn-too-large = the file has { $bytes } bytes, more than the { $limit } MiB that are read: only its type is shown
inspect-warn-pdf-unreadable = the PDF cannot be read: { $error }
inspect-warn-pdf-malformed = the PDF cannot be read: it is malformed
inspect-warn-pdf-loop = the page tree refers back to itself; the pages before the loop are counted
inspect-warn-pdf-encrypted = the PDF is encrypted: its text is not read
inspect-warn-xml-namespace-utf8 = a namespace is not UTF-8
inspect-warn-xml-namespaces = the XML declares too many namespaces
inspect-warn-xml-malformed = the XML is not well-formed at byte { $at }: { $error }
inspect-warn-xml-prefix = the XML uses the prefix { $prefix } without declaring it
inspect-warn-xml-roots = the XML has more than one root element
inspect-warn-xml-nesting = the XML nests elements deeper than { $levels } levels: not read
inspect-warn-xml-text-utf8 = the XML text is not UTF-8: { $error }
inspect-warn-xml-utf8 = the XML is not UTF-8: { $error }
inspect-warn-xml-char-ref = the XML has a bad character reference &{ $name };
inspect-warn-xml-entity = the XML refers to the entity &{ $name };, which nothing declares
inspect-warn-xml-dtd = the XML declares a DTD (DOCTYPE), which is not processed: entities and external references are refused for safety
inspect-warn-xml-no-root = the XML has no root element
inspect-warn-xml-unclosed = the XML ends before its elements are closed
inspect-warn-xml-in-place = the XML could not be read in place
inspect-warn-xml-attribute = the XML has a malformed attribute: { $error }
inspect-warn-xml-attribute-value = the XML has an attribute it cannot read: { $error }
inspect-warn-xml-nodes = the XML has more than { $max } nodes: not read
inspect-warn-xml-deep = elements nested deeper than { $levels } levels are not shown
inspect-archive-col-name = name
inspect-archive-col-bytes = bytes
inspect-archive-col-modified = modified
inspect-warning-scan = no text layer: a scan
inspect-warn-embedded-inflate = the embedded file { $name } is not read: it does not inflate ({ $error })
inspect-warn-embedded-large = the embedded file { $name } is not read: it inflates to more than { $mib } MiB
inspect-warn-embedded-filters = the embedded file { $name } is not read: its filters ({ $filters }) are not supported
inspect-body-more-lines = … (more than { $max } lines)
inspect-body-bytes-in-all = … ({ $bytes } bytes in all)
inspect-refused-no-entry = no entry { $index }: { $error }
inspect-refused-encrypted = the entry is encrypted: it is not read
inspect-refused-entry-large = the entry unpacks to { $mib } MiB, more than the { $max } MiB a preview reads
inspect-refused-entry-ratio = the entry unpacks { $times } times its packed size: an archive bomb?
inspect-refused-unpack = the entry cannot be unpacked: { $error }
inspect-refused-overrun = the entry unpacks to more than the archive claims: it is not read
inspect-refused-nested = archives nested more than { $depth } deep are not opened
inspect-refused-archive-large = the archive has { $mib } MiB, more than the { $max } MiB that are read
inspect-refused-picture-decode = the picture cannot be decoded: { $error }
inspect-refused-stopped = the preview stopped: { $error }
inspect-refused-cache = cannot refresh the cached copy { $path }: { $error }

## The command line's help and usage errors (clap), as clap says them in English
cli-word-command = COMMAND
cli-word-options = OPTIONS
cli-value-addr = ADDR
cli-value-attachment-id = ATTACHMENT_ID
cli-value-dir = DIR
cli-value-email = EMAIL
cli-value-file = FILE
cli-value-id = ID
cli-value-ids = IDS
cli-value-lang = LANG
cli-value-level = LEVEL
cli-value-ms = MS
cli-value-n = N
cli-value-name = NAME
cli-value-origin = ORIGIN
cli-value-path = PATH
cli-value-per-sec = PER_SEC
cli-value-process-id = PROCESS_ID
cli-value-query = QUERY
cli-value-rate = RATE
cli-value-secs = SECS
cli-value-status = STATUS
cli-value-type = TYPE
cli-value-url = URL
cli-value-shell = SHELL
cli-heading-usage = Usage:
cli-heading-commands = Commands
cli-heading-arguments = Arguments
cli-heading-options = Options
cli-heading-global-options = Global options
cli-spec-env = [env: { $name }]
cli-spec-default = [default: { $value }]
cli-spec-values = [possible values: { $values }]
# The man page (`trackline man`): clap_mangen's headings and notes, then the
# environment, files and exit status. Plain text: roff escapes are added in code.
man-heading-name = NAME
man-heading-synopsis = SYNOPSIS
man-heading-description = DESCRIPTION
man-heading-commands = COMMANDS
man-heading-examples = EXAMPLES
man-heading-version = VERSION
man-heading-environment = ENVIRONMENT
man-heading-files = FILES
man-heading-exit-status = EXIT STATUS
man-possible-values = Possible values:
man-env-also = May also be specified with the { $name } environment variable.
man-env-flags = The same as --base-url, --profile, --download-dir and --config; a flag wins over its variable.
man-env-login = Log in without a prompt when the stored session is missing or expired (scripts, cron, CI).
man-env-ca = PEM files of certificate authorities trusted besides the system's: the first as --ca-cert, the second added to it.
man-env-proxy = The proxy for https and http servers (either case; lower case wins), and the hosts reached without it; --proxy wins over them, they win over the config file's proxy.
man-env-log = The log level, as --log-level.
man-env-no-color = When set and not empty, the TUI uses no colour, as --no-color.
man-file-config = In the OS config dir (~/.config/trackline/ on Linux); { $path } prints it and { $init } writes a commented template.
man-file-data = In the OS data dir (~/.local/share/trackline/ on Linux): one session file per profile (mode 0600, never the password), the local index of each profile ({ $index }, mode 0600: every process and document seen, status changes, saved files), the recent processes, each profile's last email and server.
man-file-index = index/<profile>.sqlite
man-file-log = In the OS state dir (~/.local/state/trackline/ on Linux), else the cache dir; rotated at 5 MB, three old ones kept; { $status } prints its path.
man-exit-status = 0 done; 1 any other error; 2 bad usage or bad config file; 3 not logged in, wrong credentials or session expired; 4 no such process or attachment; 5 server or network unavailable after retries; 6 some files of a bulk download failed; 7 the server's certificate is not trusted or does not match its name; 128 + N ended by signal N (130 Ctrl-C, 143 SIGTERM, 141 the reader of standard output went away).
man-cannot-write = cannot write the man page: { $reason }
cli-usage-error = error:
cli-usage-tip = tip:
cli-usage-similar = { $what ->
        [subcommand] { $count ->
            [one] a similar subcommand exists: { $names }
           *[other] some similar subcommands exist: { $names }
        }
        [argument] { $count ->
            [one] a similar argument exists: { $names }
           *[other] some similar arguments exist: { $names }
        }
       *[other] { $count ->
            [one] a similar value exists: { $names }
           *[other] some similar values exist: { $names }
        }
    }
cli-usage-more = For more information, try '{ $help }'.
cli-usage-twice = the argument { $arg } cannot be used multiple times
cli-usage-conflict = the argument { $arg } cannot be used with
cli-usage-others = one or more of the other specified arguments
cli-usage-no-equals = equal sign is needed when assigning values to { $arg }
cli-usage-value-required = a value is required for { $arg } but none was supplied
cli-usage-invalid-value = invalid value { $value } for { $arg }
cli-usage-possible-values = possible values
cli-usage-unknown-command = unrecognized subcommand { $command }
cli-usage-missing = the following required arguments were not provided:
cli-usage-needs-command = { $command } requires a subcommand but one was not provided
cli-usage-commands = subcommands
cli-usage-too-many = unexpected value { $value } for { $arg } found; no more were expected
cli-usage-how-many = { $wanted } values required by { $arg }; { $given ->
        [one] only { $given } was provided
       *[other] only { $given } were provided
    }
cli-usage-bad-lang = "{ $value }" is not a language trackline speaks; use en (English) or es (español)
cli-usage-out-of-range = { $value } is not in { $range }
cli-usage-not-a-number = not a whole number
cli-usage-not-a-decimal = not a number (write it as 0.25)
cli-usage-not-an-address = not an address: write it as IP:PORT, as 127.0.0.1:8080
cli-usage-unexpected = unexpected argument { $arg } found
cli-usage-utf8 = invalid UTF-8 was detected in one or more arguments
cli-usage-other = unknown cause
cli-usage-tip-value = to pass { $value } as a value, use { $usage }
cli-usage-tip-dash = subcommand { $command } exists; to use it, remove the '--' before it
cli-usage-tip-exists = { $flag } exists
cli-about = Keyboard-driven terminal browser for the Trackline API of the Code Contract platform
cli-examples =
    Examples:
      trackline demo
      trackline login --email ana@example.com
      trackline process --id 12345 --json
      trackline download 98765 -o ~/Invoices
cli-global-base-url = The API's base URL, `/api` included
cli-global-profile = The profile: a base URL, an email and its session
cli-global-download-dir = Where downloads go (default: the Downloads folder + /Trackline)
cli-global-config = The config file (default: config.toml in the OS config dir)
cli-global-allow-insecure-http = Allow plain http:// to hosts other than loopback
cli-global-ca-cert = A PEM file of certificate authorities to trust besides the system's (SSL_CERT_FILE is added too)
cli-global-proxy = The proxy for every request, e.g. http://user:password@proxy:3128 ("" for none); beats HTTPS_PROXY, HTTP_PROXY and ALL_PROXY
cli-global-log-level = Log level for the log file (error, warn, info, debug, trace, or a RUST_LOG filter)
cli-global-no-color = No colours in the TUI (as when NO_COLOR is set): selection and state show as bold, reverse and symbols
cli-global-lang = The language of the words shown: en or es (beats TRACKLINE_LANG, config `lang` and the locale)
cli-help = Print help
cli-version = Print version
cli-about-demo = Open the TUI against a built-in sandbox server with sample data
cli-examples-demo =
    Example:
      trackline demo    (then press Enter to log in as the demo user)
cli-about-login = Log in and store the session for this profile
cli-examples-login =
    Examples:
      trackline login --email ana@example.com
      echo "$PASSWORD" | trackline login --email ana@example.com --password-stdin
cli-arg-login-email = The email (default: the one remembered for this profile, or TRACKLINE_EMAIL)
cli-arg-login-password-stdin = Read the password from standard input (first line) instead of prompting
cli-about-logout = Delete the stored session
cli-examples-logout =
    Example:
      trackline logout --all
cli-arg-logout-all = Log out of every profile
cli-about-status = Who is logged in, where, through which proxy, when the session expires, and where the log is
cli-examples-status =
    Examples:
      trackline status
      trackline --profile prod status
cli-about-profiles = The profiles and their login state
cli-examples-profiles =
    Example:
      trackline profiles
cli-about-process = Look a process up by id or name and print it
cli-examples-process =
    Examples:
      trackline process --id 12345
      trackline process --name "Odoo Billing Process" --json
cli-arg-process-id = The process id
cli-arg-process-name = The process name
cli-arg-process-json = Print JSON with every field the server sent
cli-about-download = Download attachments by id, or every document of a process
cli-examples-download =
    Examples:
      trackline download 98765
      trackline download 98765 --output invoice.pdf
      trackline download --process 12345 --all -o ~/Invoices
cli-arg-download-attachment-ids = The attachments (a document's doc_id)
cli-arg-download-process = Download the documents of this process instead
cli-arg-download-all = With --process: every document
cli-arg-download-doc-type = With --process: only documents of this type
cli-arg-download-output-dir = The folder to save into (default: the download dir)
cli-arg-download-output = Save one attachment as exactly this file (never overwritten)
cli-arg-download-open = Open each file once it is saved
cli-arg-download-json = One JSON object per line per file: attachment_id, path, bytes, sha256 (and "skipped": true for a copy saved before)
cli-arg-download-force = Save a new copy even when one saved before is still there unchanged
cli-about-export = Download every document of every listed process
cli-examples-export =
    Example:
      trackline export --ids-from ids.txt -o ~/Export --jobs 8
cli-arg-export-ids-from = A file of process ids, one per line, or a CSV with a process_id column
cli-arg-export-output-dir = The folder to export into (default: the download dir)
cli-arg-export-jobs = Downloads at once
cli-about-inspect = Summarise a document: an e-invoice's totals and checks, a PDF, a picture, an archive, text
cli-examples-inspect =
    Examples:
      trackline inspect 98766
      trackline inspect 98766 --json
      trackline inspect --file invoice.xml
cli-arg-inspect-attachment-id = The attachment (a document's doc_id); its saved copy when there is one, else fetched into the cache
cli-arg-inspect-file = A file on disk instead
cli-arg-inspect-json = Print one JSON object: kind, media_type, bytes, sha256, warnings, invoice, pdf, image, archive
cli-about-watch = Watch processes: their status now, then every change
cli-examples-watch =
    Examples:
      trackline watch 12345 12347
      trackline watch 12347 --until Completed --interval 10
      trackline watch --ids-from ids.txt --interval 300 --json >> statuses.jsonl
cli-arg-watch-process-ids = The processes to watch
cli-arg-watch-ids-from = Also watch every process of this file: one id a line, or a CSV with a process_id column
cli-arg-watch-interval = Seconds between two checks of each process (at least 1)
cli-arg-watch-json = One JSON object per line: process_id, process_name, status, previous, at
cli-arg-watch-until = Exit 0 once every watched process has this status (case does not matter)
cli-arg-watch-count = Exit 0 after N rounds (every process checked N times)
cli-about-search = Search the processes and documents seen before (works offline)
cli-examples-search =
    Examples:
      trackline search "odo biling"
      trackline search invoice_001 --json --limit 5
cli-arg-search-query = Words of a process id, name or additional data, or of a document name; typos are tolerated
cli-arg-search-json = One JSON object per line, best first: kind, process_id, process_name, doc_id, doc_name, status, score, last_seen
cli-arg-search-limit = The most results shown
cli-about-index = Look processes up to fill the local index (nothing is downloaded), or forget it
cli-examples-index =
    Examples:
      trackline index --ids-from ids.txt --jobs 8
      trackline index --clear
cli-arg-index-ids-from = Look up every process of this file (as `export` reads it: one id a line, or a CSV with a process_id column)
cli-arg-index-jobs = Lookups at once
cli-arg-index-clear = Forget this profile's index: every process, document, status change and saved file it remembers
cli-about-history = The status changes seen for a process, oldest first
cli-examples-history =
    Examples:
      trackline history 12345
      trackline history 12345 --json
cli-arg-history-process-id = The process id
cli-arg-history-json = One JSON object per line, oldest first: at, status
cli-about-sandbox = Run the sandbox server with sample data
cli-examples-sandbox =
    Example:
      trackline sandbox --listen 127.0.0.1:8080
      trackline --base-url http://127.0.0.1:8080/api login --email demo@trackline.local
cli-arg-sandbox-listen = Address to listen on (port 0 picks a free port)
cli-arg-sandbox-token-ttl = Lifetime of issued tokens, in seconds
cli-arg-sandbox-latency-ms = Delay every answer by this many milliseconds
cli-arg-sandbox-fail-rate = Answer this share of requests (0.0 to 1.0) with 503
cli-arg-sandbox-rate-limit = Allow this many requests per second; answer the rest with 429 and Retry-After
cli-arg-sandbox-drop-after-bytes = Cut the first download longer than N bytes after N bytes (once)
cli-arg-sandbox-no-range = Ignore Range requests: always send the whole file
cli-arg-sandbox-seed = Seed of the random failures of --fail-rate
cli-arg-sandbox-stall-after-bytes = Stall the first download longer than N bytes after N bytes, connection left open (once)
cli-arg-sandbox-trickle-ms = Send downloads slowly: 1 KiB every MS milliseconds
cli-arg-sandbox-redirect-to = Answer metadata and attachment requests with a 302 to this origin (e.g. http://127.0.0.1:9)
cli-arg-sandbox-tls = Serve HTTPS with a certificate authority made at start; prints `CA certificate: PATH`
cli-arg-sandbox-tls-name = With --tls: a name the certificate is for, instead of localhost, 127.0.0.1 and ::1 (repeatable)
cli-arg-sandbox-tls-expired = With --tls: serve a certificate that expired yesterday
cli-arg-sandbox-advance = Move these processes through Pending, In Progress and Completed over time (comma-separated ids)
cli-arg-sandbox-advance-every = Seconds between two steps of --advance
cli-arg-sandbox-extra-processes = Also serve N small processes, ids 900000 on (for watching many processes)
cli-about-config = Show or create the config file
cli-examples-config =
    Examples:
      trackline config path
      trackline config init && $EDITOR "$(trackline config path)"
      trackline --profile prod config show
cli-about-config-path = Print where the config file is (works even when the file has a mistake)
cli-examples-config-path =
    Example:
      trackline config path
cli-about-config-show = Print the effective settings and where each came from (default, config file, environment, command line)
cli-examples-config-show =
    Examples:
      trackline config show
      TRACKLINE_PROFILE=prod trackline --download-dir /tmp/x config show
cli-about-config-init = Write a commented config template (never over an existing file)
cli-examples-config-init =
    Examples:
      trackline config init
      trackline --config ./trackline.toml config init
cli-about-help = Print this message or the help of the given subcommand(s)
cli-about-completions = Print a shell completion script
cli-examples-completions =
    Examples:
      trackline completions bash > ~/.local/share/bash-completion/completions/trackline
      trackline completions zsh > ~/.zfunc/_trackline
      trackline completions fish > ~/.config/fish/completions/trackline.fish
      trackline completions powershell >> $PROFILE
cli-arg-completions-shell = The shell
cli-about-man = Print the man page (roff)
cli-examples-man =
    Example:
      trackline man | man -l -

# The names of keys in the hints and the help (config.toml names them in English).
key-ctrl = Ctrl-
key-alt = Alt-
key-shift = Shift-
key-space = Space
key-enter = Enter
key-page-up = PgUp
key-page-down = PgDn
key-home = Home
key-end = End
key-backspace = Backspace
key-delete = Del
key-insert = Ins
key-back-tab = Shift-Tab

## The reasons inside errors (the words of a library or the OS stay as they are in English)
api-login-answer = login answer: { $error }
api-login-empty-token = login answer has an empty token
api-through-proxy = { $reason } (through the proxy { $proxy })
api-login-request = cannot write the login request: { $error }
api-redirect-loop = redirect loop at { $host }
api-scheme-https = the scheme must be https, not { $scheme }
url-no-host = it has no host
api-retry-after = { " " }(retry after { $secs } s)
api-json-id = expected an id (string or number), got { $kind }
api-json-shape = expected a process object or an array of them, got { $kind }
json-kind-null = null
json-kind-boolean = a boolean
json-kind-number = a number
json-kind-string = a string
json-kind-array = an array
json-kind-object = an object
ca-pem-unreadable = its PEM cannot be read ({ $error })
ca-cert-unusable = certificate { $n } of it cannot be used ({ $error })
ca-no-certificate = it holds no certificate
ca-missing = it does not exist
ca-unreadable = it cannot be read ({ $error })
tls-wrong-name-names = its certificate is for another name (wrong name): it names { $names }
tls-no-host = no host
tls-expired-on = its certificate has expired (on { $date })
tls-unreadable-date = an unreadable date
tls-invalid-other = its certificate is not valid ({ $detail })
tls-failed-other = the secure connection failed ({ $detail })
os-refused = connection refused
os-dns = the server's name is not found (DNS)
os-reset = the connection broke
os-closed-early = the other end closed the connection early
os-timed-out = timed out
os-network-unreachable = the network is unreachable
os-host-unreachable = there is no route to the server
os-permission-denied = permission denied
os-not-found = not found
os-storage-full = the disk is full
os-read-only = the file system is read-only
os-already-exists = it already exists
os-other = { $words }
os-other-code = { $words } (os error { $code })
proxy-scheme = the scheme must be http or https, not { $scheme }
proxy-not-a-url = { $value } is not a proxy URL ({ $reason }); write it as http://host:port or http://user:password@host:port
index-schema-newer = it has schema { $version }, this trackline reads { $reads }: update trackline
index-damaged-stuck = it is damaged and cannot be moved aside: { $error }
index-opened-read-only = it was opened read-only
index-work-stopped = the work on the index stopped: { $error }
transfer-numbered-full = { $count } files named like { $name } already exist
transfer-not-inside = { $path } is not inside { $dir }
api-partial-unasked = the server sent only part of the file, unasked
open-no-application = no application could open it ({ $error })
open-cannot-run = cannot run the opener { $opener }: { $error }
open-opener-failed = the opener { $opener } failed ({ $status })
open-cannot-watch = cannot watch the opener { $opener }: { $error }
