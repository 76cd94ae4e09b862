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
tls-it-names = : it names { $names }
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
index-stopped = trackline: stopped; the { $processes } processes looked up so far are in the index
index-process-error = trackline: process { $id }: { $message }
index-summary = trackline: { $processes } processes with { $documents } documents in the index of profile { $profile }; { $not_found } not found, { $failed } failed
index-none = trackline: profile { $profile } has no index; nothing to forget
index-forgot = trackline: forgot the index of profile { $profile }: { $processes } processes, { $documents } documents
progress-processes = processes
progress-looking-up = looking up

## watch
watch-no-ids = no process to watch: give process ids, or an --ids-from file that lists some
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
watch-started = Watching { $id }: a change of its status rings the bell ({ $key } again stops)
saving-new-copy = Saving a new copy
pane-preview = Preview
preview-range = { " " }{ $first }–{ $last } of { $total } · { $keys } scroll{ " " }
preview-select = Select a document to preview it.
preview-look-up = Look up a process to preview its documents.
preview-reading = { $spinner } Reading…
preview-failed = Cannot preview: { $error }
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
state-saved = ✓ saved
notify-no-status = no status
inspect-warning-scan = no text layer: a scan
