# Las palabras de trackline en español. Cada mensaje está también en en.ftl,
# con los mismos marcadores (lo comprueba la prueba del catálogo).

## Paneles y diálogos
pane-search = Buscar
pane-recent = Recientes
pane-process = Proceso
pane-documents = Documentos
pane-downloads = Descargas
login-title = Iniciar sesión
help-title = Teclas
profiles-title = Cambiar de perfil
profiles-active = (activo)
profiles-keys = { $switch } cambiar  { $close } cerrar

## Barra superior
top-help = { $key } ayuda
session-ends-in = termina en { $left }
session-ends-offer = la sesión termina en { $left } — { $offer }
session-renews = se renueva sola
session-key-to-log-in = { $key } para volver a entrar
session-left = quedan { $left }
session-word-left = sesión: quedan { $left }
session-expired = caducada
session-word-expired = sesión caducada
not-signed-in = sin sesión
too-small = Terminal demasiado pequeña ({ $width }×{ $height }): hace falta al menos { $min_width }×{ $min_height }

## Diálogo de inicio de sesión
login-intro = Inicie sesión para consultar procesos y sus documentos.
login-email = Correo
login-password = Contraseña
login-server = Servidor
login-keep-password = Recordar la contraseña para renovar la sesión
login-in-flight = Iniciando sesión…
login-type-email = Escriba su correo
login-type-password = Escriba su contraseña
login-type-server = Escriba la dirección del servidor, como https://api.example.com/api
login-wrong-password = Correo o contraseña incorrectos: revíselos y pulse Intro
login-ends-soon = Su sesión termina pronto. Vuelva a iniciarla para empezar una nueva.
login-session-ended = Su sesión ha terminado. Vuelva a iniciarla para continuar.
login-ended-download = Su sesión ha terminado. Vuelva a iniciarla; la descarga continuará después.
login-profile-signed-out = Este perfil no tiene sesión. Inicie sesión para continuar.

## Ayuda
help-closes = { $keys } cierra
help-or = o
help-col-keys = Teclas
help-col-action = Acción
help-col-where = Dónde

## Búsqueda y recientes
search-key-to-search = { $key } para buscar
search-placeholder = id o nombre, luego Intro
recent-empty = Sin procesos recientes.
recent-type = Escriba un id o nombre de proceso y pulse Intro.

## Panel de proceso
process-range = { $first }–{ $last } de { $total }
process-looking-up = { $spinner } buscando { $what }…
process-looking = { $spinner } Buscando…
process-cancels = { $key } cancela
process-type = Escriba un id o nombre de proceso y pulse Intro.
process-digits = Cifras: un id; id: o name: lo fuerzan.
process-matches = { $count } procesos coinciden
process-choose-with = { " — " }elija uno con { $key }
field-status = Estado
status-changed = {" "}· cambió { $when }
field-name = Nombre
field-id = Id
field-created = Creado
field-type = Tipo
field-state = Estado

## Panel de documentos
documents-marked = { " · " }{ $count } marcados
documents-look-up = Busque un proceso para ver sus documentos.
documents-choose = Elija arriba un proceso para ver sus documentos.
documents-filter = Filtro ›
documents-none = Este proceso no tiene documentos.
documents-no-match = Ningún documento coincide con «{ $filter }»: edite el filtro ({ $key } lo deja)

## Estados de las descargas
state-running = en curso
state-queued = en cola
state-done = hecha
state-failed = fallida
state-cancelled = cancelada
state-verifying = verificando
state-retrying = reintentando
state-resuming = reanudando
downloads-running = { $count ->
    [one] { $n } en curso
   *[other] { $n } en curso
}
downloads-queued = { $count ->
    [one] { $n } en cola
   *[other] { $n } en cola
}
downloads-done = { $count ->
    [one] { $n } hecha
   *[other] { $n } hechas
}
downloads-failed = { $count ->
    [one] { $n } fallida
   *[other] { $n } fallidas
}
downloads-cancelled = { $count ->
    [one] { $n } cancelada
   *[other] { $n } canceladas
}
state-failed-times = fallida ×{ $tries }
downloads-resuming-at = reanudando en { $size }
downloads-empty = Aún no hay descargas: seleccione un documento y pulse { $keys }.

downloads-verifying-bytes = { $spinner } verificando el archivo parcial ({ $size })
downloads-verifying = { $spinner } verificando el archivo parcial
count-of = { $shown } de { $total }

## Indicaciones de teclas
hint-log-in = entrar
hint-next-field = campo sig.
hint-close = cerrar
hint-quit = salir
hint-previous-field = campo ant.
hint-tick-the-box = marcar la casilla
hint-suspend = suspender
hint-switch = cambiar
hint-move = mover
hint-scroll = desplazar
hint-look-up = buscar
hint-recent = recientes
hint-next-pane = panel sig.
hint-leave-box = salir del cuadro
hint-previous-pane = panel ant.
hint-done = listo
hint-leave-filter = salir del filtro
hint-search = buscar
hint-help = ayuda
hint-copy-id = copiar id
hint-cancel-the-lookup = cancelar la búsqueda
hint-log-out = cerrar sesión
hint-switch-profile = cambiar de perfil
hint-reload = recargar
hint-choose = elegir
hint-download = descargar
hint-mark = marcar
hint-download-marked-all = marcados/todos
hint-open = abrir
hint-filter = filtrar
hint-copy-the-id-or-saved-path = copiar el id o la ruta guardada
hint-cancel = cancelar
hint-retry = reintentar
hint-cancel-all = cancelar todo
hint-copy = copiar
hint-watch = vigilar
hint-unwatch = dejar de vigilar
hint-watch-the-process = vigilar el proceso
hint-watch-the-shown-process = vigilar el proceso mostrado
hint-preview = vista previa
hint-scroll-the-preview = desplazar la vista previa
hint-choose-an-entry = elegir una entrada
hint-preview-the-entry = ver la entrada
hint-back = atrás
hint-leave-the-entries = dejar las entradas

## Ayuda: qué hace cada acción y dónde
action-quit = salir
action-help = mostrar u ocultar esta ayuda
action-next_pane = panel o campo siguiente
action-prev_pane = panel o campo anterior
action-focus_search = ir al cuadro de búsqueda
action-submit = buscar / iniciar sesión / elegir
action-cancel = cerrar / cancelar la petición / salir del cuadro
action-up = subir
action-down = bajar
action-page_up = página arriba
action-page_down = página abajo
action-home = primera fila
action-end = última fila
action-download = descargar el documento seleccionado
action-mark = marcar / desmarcar
action-download_all = descargar los marcados (o todos)
action-open = abrir el archivo descargado
action-filter = filtrar por nombre o tipo
action-cancel_download = cancelar la descarga
action-cancel_all = cancelar todas las descargas
action-retry = reintentar la descarga / recargar el proceso
action-copy = copiar el id, la ruta guardada o el SHA-256
action-logout = cerrar (o iniciar) sesión
action-switch_profile = cambiar de perfil
action-suspend = suspender y volver al shell
action-force_quit = salir de inmediato
action-watch = vigilar / dejar de vigilar el proceso mostrado
action-preview = mostrar / ocultar la vista previa
action-preview_down = bajar en la vista previa
action-preview_up = subir en la vista previa
action-entries = elegir una entrada del archivo comprimido mostrado
place-anywhere = en todas partes
place-not-typing = sin escribir
place-search-login = búsqueda, sesión
place-lists = listas
place-documents = documentos
place-documents-downloads = documentos, descargas
place-downloads-process = descargas, proceso
place-downloads = descargas
place-lists-process = listas, proceso

## Fechas y tiempos relativos
time-just-now = ahora mismo
time-ago = hace { $n } { $unit }
time-in = dentro de { $n } { $unit }
unit-minute = { $n ->
    [one] minuto
   *[other] minutos
}
unit-hour = { $n ->
    [one] hora
   *[other] horas
}
unit-day = { $n ->
    [one] día
   *[other] días
}
unit-month = { $n ->
    [one] mes
   *[other] meses
}
unit-year = { $n ->
    [one] año
   *[other] años
}

## Línea de órdenes
cli-error = trackline: { $message }
lang-unknown-config = lang = "{ $value }" en { $path } no es un idioma que trackline hable: use "en" o "es"

## Errores de la API (las palabras del servidor llegan en { $detail } tal cual)
api-bad-credentials = correo o contraseña incorrectos{ $detail }
api-not-logged-in = no hay sesión: ejecute `trackline login` (o defina TRACKLINE_EMAIL y TRACKLINE_PASSWORD)
api-unauthorized = la sesión ha caducado o fue rechazada{ $detail }: vuelva a ejecutar `trackline login`
api-not-found = no se encontró { $what }{ $detail }
api-rate-limited = el servidor está limitando las peticiones; inténtelo más tarde
api-rate-limited-after = el servidor está limitando las peticiones (reintente en { $secs } s); inténtelo más tarde
api-server = el servidor respondió { $status }{ $detail }
api-timeout = el servidor { $host } no respondió a tiempo; compruebe la conexión e inténtelo de nuevo
api-connect = no se puede conectar con { $host }: { $reason }
api-insecure-url = se rechaza http sin cifrar hacia { $url }: use https, o pase --allow-insecure-http si confía en la red
session-expired-cli = la sesión de { $email } terminó el { $when } UTC ({ $ago }); vuelva a iniciarla con `trackline login`
config-missing = el archivo de configuración { $path } no existe; revise --config / TRACKLINE_CONFIG, o créelo con `trackline config init`
downloads-saved = guardado en { $path } · sha256 { $sha256 }
downloads-failed-retry = { $error } — { $key } reintenta

## Errors of the API, the rest
what-process = el proceso { $id }
what-attachment = el adjunto { $id }
api-body-starting = { " " }que empieza por { $snippet }
api-unexpected-body = se esperaba JSON y llegó { $content_type }{ $start }
api-bad-json = el servidor envió JSON que el cliente no sabe leer: { $reason }
api-too-large = el servidor envió más de { $limit } bytes de metadatos; no se leen
api-invalid-url = la URL del servidor { $url } no es válida: { $reason }
api-redirect-refused = el servidor redirigió a { $to }, otro origen; no se sigue para que el token se quede en { $from }
api-tls = no se puede conectar de forma segura con { $host }: { $problem }. Si su red inspecciona TLS con su propia autoridad de certificación (un proxy o cortafuegos de empresa), pase el certificado de esa autoridad con --ca-cert ARCHIVO (o TRACKLINE_CA_CERT, o ca_cert en el archivo de configuración)
api-proxy-auth = el proxy { $proxy } rechazó la petición (407 Proxy Authentication Required): indique su usuario y contraseña en la URL del proxy, como http://USUARIO:CONTRASEÑA@HOST:PUERTO en --proxy, HTTPS_PROXY (o HTTP_PROXY) o proxy en el archivo de configuración; codifique con % los @, : y / que contengan
api-proxy-refused = el proxy { $proxy } se negó a conectar con { $host }: revise el usuario y la contraseña de la URL del proxy (http://USUARIO:CONTRASEÑA@HOST:PUERTO), que el proxy pueda conectar con ese host y puerto, o defina NO_PROXY para un servidor que no deba atender
api-bad-ca-file = no se puede usar el archivo de certificados { $path } (de { $from }): { $reason }; indique un archivo PEM de certificados (-----BEGIN CERTIFICATE-----)
api-http = la petición falló: { $reason }
tls-unknown-issuer = su certificado lo firma una autoridad de certificación desconocida (emisor desconocido)
tls-wrong-name = su certificado es de otro nombre (nombre incorrecto)
tls-expired = su certificado ha caducado
tls-not-valid-yet = su certificado aún no es válido; revise el reloj de este equipo
tls-revoked = su certificado ha sido revocado
tls-invalid = su certificado no es válido
tls-failed = la conexión segura falló

## Errors of downloads, the config, trackline's files, previews and the index
transfer-io = no se puede escribir { $path }: { $reason }{ $hint }
transfer-hint-full = { " " }— el disco está lleno o se alcanzó un límite de tamaño de archivo: libere espacio (la descarga parcial se conserva y se reanuda) o elija otra carpeta para las descargas
transfer-hint-read-only = { " " }— la carpeta no admite escritura: corrija sus permisos o elija otra carpeta para las descargas
transfer-hint-not-a-folder = { " " }— la carpeta de descargas no se puede crear ahí: elija otra carpeta para las descargas
transfer-exists = { $path } ya existe; no se sobrescribe (bórrelo o elija otro nombre de archivo)
transfer-incomplete = la descarga terminó tras { $received } de { $expected } bytes; el archivo parcial se conserva en { $part }; inténtelo de nuevo
transfer-too-long = el servidor envió más de los { $expected } bytes que anunció; el archivo se descartó
transfer-interrupted = la conexión se cortó tras { $received } bytes ({ $reason }); el archivo parcial se conserva en { $part }; inténtelo de nuevo
transfer-cancelled = cancelada
config-read = no se puede leer el archivo de configuración { $path }: { $reason }
config-bad-file = archivo de configuración incorrecto { $path }
config-at-line = , línea { $line }
config-at-column = , columna { $column }
config-unknown-profile = perfil desconocido { $quoted }; perfiles conocidos: { $known }. Añada una tabla [profiles.{ $name }] al archivo de configuración, o créelo con `trackline login --profile { $name } --base-url URL`
config-no-home = no se encuentra la carpeta personal donde guardar los archivos de trackline; defina HOME
log-bad-level = trackline: se ignora el nivel de registro { $level } ({ $reason }); se usa info. Indique error, warn, info, debug o trace
store-read = no se puede leer { $path }: { $reason }
store-write = no se puede escribir { $path }: { $reason }
store-corrupt = { $path } está dañado ({ $reason }); bórrelo (`trackline logout`) y vuelva a iniciar sesión
store-interrupted = el trabajo con los archivos de trackline se detuvo: { $reason }
profile-empty = el nombre de un perfil no puede estar vacío
preview-too-large = el adjunto { $id } tiene { $mib } MiB, más que los { $max } MiB de la caché de vistas previas (el ajuste preview_cache_mb); descárguelo y lea el archivo guardado
inspect-unreadable = no se puede leer { $path }: { $reason }; compruebe que existe y que puede leerlo
inspect-cancelled = la vista previa se canceló
inspect-out-of-time = leer el documento llevó más de { $seconds } s; puede ser hostil o muy grande
index-read-only = no se puede escribir el índice { $path } ({ $reason }); haga que su carpeta admita escritura para que las búsquedas recuerden los procesos
index-damaged = el índice { $path } está dañado ({ $reason }); `trackline index --clear` lo empieza de nuevo
index-newer = el índice { $path } es de un trackline más reciente ({ $reason })
index-sql = el índice { $path } falló: { $reason }
search-query-empty = escriba qué buscar (un id de proceso, un nombre, el de un documento)
search-query-too-long = esa búsqueda tiene { $n } caracteres; el límite es { $max }: busque unas pocas palabras del nombre
search-query-too-many-words = esa búsqueda tiene { $n } palabras; el límite es { $max }: unas pocas palabras distintivas encuentran más
stdout-closed = la salida estándar se cerró

## login, logout, status
cli-warning = trackline: aviso: { $warning }
login-no-email = falta el correo: pase --email o defina TRACKLINE_EMAIL
login-password-for = Contraseña de { $email }:{ " " }
login-cannot-read-password = no se puede leer la contraseña: { $reason }
login-no-password = falta la contraseña: pase --password-stdin, defina TRACKLINE_PASSWORD o ejecútelo en un terminal
login-expires = ; la sesión caduca { $when }
login-done = Sesión iniciada como { $email } en { $server } (perfil { $profile }){ $expires }
login-email-prompt-last = Correo [{ $last }]:{ " " }
login-email-prompt = Correo:{ " " }
login-cannot-prompt = no se puede preguntar: { $reason }
login-cannot-read-email = no se puede leer el correo: { $reason }
login-no-email-given = no se indicó ningún correo
login-cannot-read-stdin = no se puede leer la contraseña de la entrada estándar: { $reason }
login-stdin-empty = la contraseña de la entrada estándar está vacía
logout-done = Sesión cerrada en el perfil { $profile }
logout-nowhere = No hay ninguna sesión; nada que hacer
logout-not-logged-in = No hay sesión; nada que hacer
status-profile = Perfil:
status-server = Servidor:
status-proxy = Proxy:
status-ca-certs = Certificados CA:
status-log-file = Registro:
status-email = Correo:
status-session = Sesión:
status-ca-file = { $path } (de { $from })
status-ca-besides = { $files } (además de los del sistema)
status-session-other-server = ninguna para este servidor (la guardada es de { $server })
status-session-expired = caducada { $when }; ejecute `trackline login`
status-session-valid = válida, caduca { $when }
status-session-none = sin sesión; ejecute `trackline login`
expiry-unknown = en un momento desconocido (el token no dice cuándo caduca)
expiry-at = el { $when } UTC ({ $ago })
proxy-none = ninguno
proxy-bypassed = ninguno ({ $by } nombra este servidor; { $proxy } no se usa)
proxy-via = { $proxy } (de { $from })
retry-line = trackline: { $reason }; se reintenta en { $secs } s (intento { $attempt } de { $max })
transfer-ended-after = la descarga terminó tras { $received } de { $expected } bytes
transfer-broke-after = la conexión se cortó tras { $received } bytes ({ $reason })

## download, export, progress bars
progress-files = archivos
progress-total = total
progress-eta = quedan
progress-time-second = { $n } s
progress-time-minute = { $n } min
progress-time-hour = { $n } h
progress-time-day = { $n } d
progress-time-week = { $n } sem
progress-time-year = { $n } a
download-output-one = --output ARCHIVO admite un solo ID_ADJUNTO
download-nothing = trackline: nada que descargar
download-already-saved = trackline: el adjunto { $id } ya está guardado, sin cambios, en { $path }; --force guarda una copia nueva
download-all-failed = trackline: fallaron las { $total } descargas
download-some-failed = trackline: { $n ->
    [one] falló 1
   *[other] fallaron { $n }
} de { $total } descargas; las demás están guardadas
download-attachment-error = trackline: adjunto { $id }: { $message }
download-not-a-folder = { $path } no es una carpeta: indique con -o una carpeta existente o nueva (o --output ARCHIVO para un adjunto)
download-no-such-type = trackline: el proceso { $id } no tiene documentos de ese tipo
download-cannot-open = trackline: no se puede abrir el archivo: { $reason }; está guardado en { $path }
ids-cannot-read = no se puede leer --ids-from { $path }: { $reason }
ids-bad-utf16 = el archivo dice ser UTF-16 pero no lo es; guárdelo como CSV UTF-8
ids-not-utf8 = la línea { $line }, byte { $byte }, no es UTF-8 (el archivo es probablemente Latin-1 o Windows-1252): guárdelo desde la hoja de cálculo como "CSV UTF-8" (o como texto UTF-8) e inténtelo de nuevo
ids-not-an-id = línea { $line }: { $text } no es un id de proceso; se omite
export-no-ids = trackline: { $path } no tiene ids de proceso; nada que exportar
export-cannot-create = no se puede crear { $path }: { $reason }
export-bad-manifest = trackline: se ignora el manifiesto anterior ({ $reason }); se vuelven a descargar todos los archivos
export-document-error = trackline: proceso { $process }, documento { $document }: { $message }
export-summary = trackline: { $downloaded ->
    [one] 1 descargado
   *[other] { $downloaded } descargados
}, { $unchanged } sin cambios, { $failed ->
    [one] 1 fallido
   *[other] { $failed } fallidos
}; manifiesto: { $path }

## index
index-no-ids = trackline: { $path } no tiene ids de proceso; nada que indexar
index-cannot-open = no se puede abrir el índice: { $reason }
index-stopped = trackline: detenido; { $processes ->
    [one] el proceso consultado hasta ahora está
   *[other] los { $processes } procesos consultados hasta ahora están
} en el índice
index-process-error = trackline: proceso { $id }: { $message }
index-summary = trackline: { $processes ->
    [one] 1 proceso
   *[other] { $processes } procesos
} con { $documents ->
    [one] 1 documento
   *[other] { $documents } documentos
} en el índice del perfil { $profile }; { $not_found ->
    [one] 1 no encontrado
   *[other] { $not_found } no encontrados
}, { $failed ->
    [one] 1 fallido
   *[other] { $failed } fallidos
}
index-none = trackline: el perfil { $profile } no tiene índice; nada que olvidar
index-forgot = trackline: se olvidó el índice del perfil { $profile }: { $processes ->
    [one] 1 proceso
   *[other] { $processes } procesos
}, { $documents ->
    [one] 1 documento
   *[other] { $documents } documentos
}, { $watched ->
    [one] 1 vigilado
   *[other] { $watched } vigilados
}
progress-processes = procesos
progress-looking-up = consultando

## watch
watch-no-ids = ningún proceso que vigilar: indique ids de proceso, o un archivo --ids-from que los liste
watch-nothing-watched = ningún proceso que vigilar: indique ids de proceso o un archivo --ids-from; el perfil { $profile } aún no vigila nada (w en la interfaz vigila un proceso)
watch-paused = trackline: { $message }; no hay comprobaciones hasta que el servidor responda (próximo intento en { $secs } s)
watch-resumed = trackline: el servidor vuelve a responder; la vigilancia continúa
watch-still = trackline: { $message }; se sigue vigilando
watch-process-still = trackline: proceso { $id }: { $message }; se sigue vigilando

## search and history
search-control-removed = trackline: aviso: se quitaron caracteres de control de la búsqueda; se busca "{ $query }"
search-no-index = trackline: aún no hay nada indexado para el perfil { $profile }: los procesos se recuerdan al consultarlos (`trackline process`, `download`, `export`, la interfaz), o muchos a la vez con `trackline index --ids-from ARCHIVO`
search-no-match = trackline: nada del índice del perfil { $profile } coincide con "{ $query }"
search-some-shown = trackline: se muestran { $shown } de { $total } coincidencias; --limit muestra más
search-best-shown = trackline: se muestran las { $shown } mejores coincidencias; --limit muestra más
search-stopped = la búsqueda se detuvo: { $reason }
history-no-id = indique el id de un proceso
history-never-seen = trackline: el proceso { $id } nunca se vio con el perfil { $profile }: `trackline process --id { $id }` lo consulta y empieza su historial
column-kind = TIPO
column-process = PROCESO
column-name = NOMBRE
column-document = DOCUMENTO
column-status = ESTADO
column-seen = VISTO
column-when = CUÁNDO
index-repaired = el índice { $path } no era una base de datos utilizable ({ $reason }); se movió a { $aside } y se empezó uno nuevo: los procesos se vuelven a recordar al consultarlos
keyring-unavailable = el llavero del sistema no está disponible ({ $reason }); el token se guarda en { $path } (modo 0600)

## config
config-init-exists = { $path } ya existe; no se sobrescribe (edítelo, o muévalo y vuelva a ejecutar esto)
config-init-done = trackline: se escribió una plantilla comentada; `trackline config show` muestra los ajustes en vigor
config-show-read = leído
config-show-defaults = no existe: valores por defecto
config-value-none = (ninguno)
config-value-not-found = { $path } (no existe)
config-value-system-opener = (el del sistema)
config-value-default-keys = (las predeterminadas)
config-value-theme-colors = (los del tema)
config-value-lang = { $lang } ({ $from })
profiles-col-profile = PERFIL
profiles-col-state = ESTADO
profiles-col-email = EMAIL
profiles-col-server = SERVIDOR
profiles-expired = caducada
profiles-logged-in = con sesión
profiles-logged-out = sin sesión
search-kind-process = proceso
search-kind-document = documento
source-default = por defecto
source-remembered = último inicio de sesión
source-file = archivo de configuración
source-env = entorno
source-flag = línea de órdenes
cli-no-runtime = no se puede iniciar el entorno asíncrono: { $reason }
cli-no-sandbox = esta compilación no tiene sandbox: vuelva a compilar con las características por defecto para usar `trackline demo`
process-no-query = indique un --id o un --name no vacíos
keys-unknown-action = acción desconocida { $name } en [keys]; acciones conocidas: { $known }
keys-bad-key = [keys] { $action }: tecla no válida ({ $reason })
keys-conflict = [keys]: { $key } está asignada a la vez a { $first } y a { $second }; dé a una de ellas otra tecla
keys-no-keys = [keys] { $action }: indique al menos una tecla

## inspect
inspect-no-source = indique un ID_ADJUNTO o --file RUTA
inspect-file = Archivo
inspect-kind = Tipo
inspect-kind-value = { $kind } · { $media_type } · { $bytes } bytes
inspect-pages = Páginas
inspect-title = Título
inspect-producer = Productor
inspect-created = Creado
inspect-embedded = Incrustados
inspect-picture = Imagen
inspect-picture-value = { $width } × { $height } píxeles, { $format }, orientación { $orientation }
inspect-warnings = Avisos
inspect-type-invoice = factura
inspect-type-credit-note = factura rectificativa
inspect-e-invoice = Factura-e
inspect-profile = Perfil
inspect-number = Número
inspect-issued = Emitida
inspect-issued-value = { $issued }   vence { $due }
inspect-currency = Moneda
inspect-seller = Vendedor
inspect-buyer = Comprador
inspect-net = Base
inspect-tax = Impuestos
inspect-tax-line = { $category } { $rate } de { $base } = { $amount }
inspect-withheld = Retenido
inspect-total = Total
inspect-payable = A pagar
inspect-signed = Firmada
inspect-signed-value = sí (la firma no se verifica)
inspect-lines = Líneas
inspect-more-lines = … { $n } líneas más (--json las lista)
inspect-checks = Comprobaciones
inspect-no-checks = (el documento tiene muy pocas cifras que comprobar)
inspect-check-ok = ok
inspect-check-bad = MAL
check-lines = líneas
check-line-amounts = importes
check-net = base
check-tax-rates = tipos
check-tax-total = impuestos
check-grand-total = total
check-payable = a pagar
check-off = { $what } { $computed }, pero el documento dice { $stated } (diferencia de { $off })
check-lines-add-up = { $n ->
    [one] la línea suma
   *[other] las { $n } líneas suman
}
check-net-comes-to = las líneas, cargos y descuentos dan
check-taxes-add-up = { $n ->
    [one] el impuesto del tipo suma
   *[other] los impuestos de los { $n } tipos suman
}
check-net-plus-tax = base + impuestos
check-minus-withheld = { " " }− retenido
check-plus-charges = { " " }+ otros cargos
check-grand-total-is = el total =
check-grand-total-adjusted = el total { $sign } { $adjustment } =
check-line-off = línea { $line }: { $quantity } × { $price }{ $adjusted } = { $computed }, pero la línea dice { $amount }
check-line-adjusted = { " " }± cargos y descuentos
check-line-amounts-ok = cantidad × precio = importe en { $n ->
    [one] 1 línea
   *[other] { $n } líneas
}
check-rate-off = { $rate } % de { $base } = { $computed }, pero el documento dice { $amount }
check-tax-rates-ok = tipo × base = impuesto en { $n ->
    [one] 1 tipo
   *[other] { $n } tipos
}
kind-image = imagen
kind-archive = archivo comprimido
kind-text = texto
kind-binary = binario
process-label = Proceso
column-id = ID
column-type = TIPO
origin-from = de { $name }
origin-not-the-profiles = { $from }, no el del perfil, { $own }

## Mensajes de la TUI (update y las vistas)
login-check-server = { $error }: revise el campo Servidor y vuelva a intentarlo
session-renewed = Sesión renovada con la contraseña recordada
profile-cannot-switch = No se puede cambiar al perfil { $profile }: { $error }
profiles-only-one = Solo hay un perfil ({ $profile }): añada una tabla [profiles.NOMBRE] a config.toml para tener más
already-saved = Ya guardado: { $path }
retry-summary = se reintenta en { $secs } s (intento { $attempt } de { $max })
opened = Abierto { $file }
open-failed = No se pudo abrir { $file }: { $error }; el archivo está en { $path }
index-cannot-search = No se puede buscar en el índice local: { $error }
copy-nothing = No hay nada seleccionado que copiar
copy-again-sha = { " " }({ $key } otra vez copia su SHA-256)
copied = copiado { $what }{ $again }: { $text }
copy-what-process-id = el id del proceso
copy-what-document-id = el id del documento
copy-what-saved-path = la ruta guardada
copy-what-sha-256 = el SHA-256
prompt-running = { $count ->
    [one] 1 descarga en curso
   *[other] { $n } descargas en curso
}
prompt-quit-short = { $what }: { $quit } otra vez sale, { $stay } se queda
prompt-quit = { $what }: { $quit } otra vez para salir (se reanudan la próxima vez), { $stay } para quedarse
prompt-download-many = ¿Descargar { $n } documentos? Intro/y sí, { $stay } no
prompt-save-again-short = Ya guardado: { $again } otra vez guarda una copia nueva
prompt-save-again = Ya guardado: { $again } otra vez guarda una copia nueva, { $stay } conserva la que hay
nothing-downloaded = No se ha descargado nada
lookup-not-signed-in = No ha iniciado sesión
login-to-look-up = No ha iniciado sesión. Iníciela para buscar { $query }.
lookup-session-ended = La sesión ha terminado
lookup-no-id = No existe el proceso { $id }: revise el id o busque por nombre
lookup-no-name = Ningún proceso se llama «{ $name }». El nombre debe coincidir exactamente, mayúsculas incluidas
lookup-closest = Recientes más parecidos: { $names }
next-log-in-then = Inicie sesión para continuar; la búsqueda se hará después
next-log-in-look-up = Pulse { $key } para iniciar sesión y buscarlo
next-log-in = Pulse { $key } para iniciar sesión
next-open-closest = Pulse { $down } y { $submit } para abrir el más parecido, o edite la búsqueda y pulse { $submit }
next-edit-search = Edite la búsqueda y pulse { $key }
next-open-selected = Pulse { $submit } para abrir el seleccionado, o { $search } para buscar de nuevo
next-search-again = Pulse { $key } para buscar de nuevo
next-try-again = Pulse { $key } para volver a intentarlo
next-retry-or-search = Pulse { $retry } para volver a intentarlo, o { $search } para buscar
next-search-or-retry = Pulse { $search } para buscar de nuevo, o { $retry } en el panel del proceso para reintentar
query-empty = escriba un id o nombre de proceso para buscar
query-empty-after = escriba algo después de '{ $prefix }:'
query-too-long = esa búsqueda es demasiado larga ({ $n } caracteres); el límite es { $max }
query-id = el proceso { $id }
query-name = el proceso llamado «{ $name }»
cached-offline = sin conexión: en caché, { $ago }
cached-ago = en caché, { $ago }
cached-refreshing = { " " }{ $spinner } actualizando
already-downloading = { $name } ya se está descargando
no-document-to-download = No hay ningún documento que descargar
all-already-saved = { $n } ya guardados: no se descarga nada ({ $key } sobre uno dice dónde)
one-already-downloaded = Ese documento ya está descargado o en camino: { $key } lo abre
all-already-downloaded = Los { $n } ya están descargados o en camino
another-process-shown = Ahora se muestra otro proceso: no se descarga nada
queued-downloads = { $count ->
    [one] { $n } descarga en cola
   *[other] { $n } descargas en cola
}
queued-skipped-saved = ; se omiten { $n } ya guardados
queued-skipped-on-way = { " " }({ $n } ya descargados o en camino)
not-downloaded-yet = Aún no está descargado: pulse { $key } para descargarlo
download-not-finished = Esa descarga aún no ha terminado
nothing-to-cancel-one = Nada que cancelar: esa descarga no está en cola ni en curso
trying-again = Reintentando { $name }…
only-failed-retried = Solo se puede reintentar una descarga fallida o cancelada
nothing-to-cancel = Nada que cancelar: ninguna descarga está en cola ni en curso
cancelled-downloads = { $count ->
    [one] { $n } descarga cancelada; r sobre ella la reanuda
   *[other] { $n } descargas canceladas; r sobre una la reanuda
}
watch-nothing-shown = No se muestra ningún proceso que vigilar: busque uno antes
watch-stopped = Ya no se vigila { $id }
watch-not-kept = La lista de vigilados no se guardará después de esta sesión: { $reason }
watch-started = Vigilando { $id }: un cambio de su estado hace sonar la campana ({ $key } otra vez lo deja)
saving-new-copy = Guardando una copia nueva
pane-preview = Vista previa
preview-range = { " " }{ $first }–{ $last } de { $total } · { $keys } desplazar{ " " }
preview-select = Seleccione un documento para verlo.
preview-look-up = Busque un proceso para ver sus documentos.
preview-reading = { $spinner } Leyendo…
preview-failed = No se puede mostrar: { $error }
preview-entry-folder = { $name } es una carpeta: elija un archivo de ella.
preview-entry-encrypted = { $name } está cifrado: no se lee.
preview-entry-too-deep = { $name } es un archivo comprimido anidado a más de { $max } niveles: no se abre.
preview-entries-hint = { " " }{ $key } elegir una entrada{ " " }
preview-entry-keys = { " " }{ $key } ver · { $back } atrás{ " " }
preview-page-failed = no se pudo dibujar la página 1: { $error }
page-no-pages = el PDF no tiene páginas
page-unreadable = el PDF no se puede leer (o está cifrado)
page-no-size = la página no tiene tamaño
page-too-large = algo en él es demasiado grande para dibujarlo ({ $what })
page-malformed = el PDF está mal formado
page-out-of-time = dibujarla tardó más de { $seconds } s
pane-matches = Coincidencias
matches-none = Nada en el índice local coincide.
matches-searching = Buscando en el índice local…
matches-enter-asks = { $key } pregunta al servidor por el texto escrito.
pane-watched = Vigilados
watched-unseen = { " · " }{ $n } { $n ->
    [one] cambiado
   *[other] cambiados
}
watched-paused = { " " }comprobaciones en espera: { $error }{ " " }
watched-empty = Nada vigilado. Pulse { $key } sobre un proceso para vigilarlo.
watched-col-id = id
watched-col-status = estado
watched-col-changed = cambió
watched-col-checked = visto
watched-checked-ago = { " " }visto hace { $ago }{ " " }
watched-not-checked = { " " }aún sin comprobar{ " " }
failed-again = { $name } volvió a fallar (intento { $tries }): { $error }
downloads-eta = quedan { $time }
state-saved = ✓ guardado
notify-no-status = sin estado
inspect-warn-not-decimal = { $what } no es un número decimal: { $text }
inspect-warn-archive-unreadable = no se puede leer el archivo comprimido (zip: { $error })
inspect-warn-archive-many = el archivo comprimido tiene { $count } entradas; se listan las { $listed } primeras
inspect-warn-archive-climbing = { $count ->
        [one] { $count } entrada tiene un nombre que sale de su carpeta (absoluto o con ..); se muestra, nunca se extrae
       *[other] { $count } entradas tienen nombres que salen de su carpeta (absolutos o con ..); se muestran, nunca se extraen
    }
inspect-warn-archive-claims = las entradas dicen ocupar { $claimed } MiB descomprimidas, más de los { $allowed } MiB permitidos: ¿una bomba de descompresión? no se descomprimen las entradas de más de { $entry } MiB
inspect-warn-archive-ratio = { $name } ocupa { $times } veces su tamaño comprimido: ¿una bomba de descompresión? no se descomprime
inspect-warn-no-fattura-body = el archivo no contiene ningún FatturaElettronicaBody
inspect-warn-many-bodies = el archivo contiene { $count } facturas (bodies); esta es la primera
inspect-warn-no-cii-transaction = el documento no tiene SupplyChainTradeTransaction: faltan las partes y los totales
inspect-warn-no-ubl-totals = el documento no tiene LegalMonetaryTotal: faltan los totales
inspect-warn-no-facturae-invoice = el archivo no contiene ninguna Invoice
inspect-warn-many-invoices = el archivo contiene { $count } facturas; esta es la primera
inspect-warn-no-facturae-totals = la factura no tiene InvoiceTotals
inspect-warn-json-deep = el JSON está anidado demasiado para mostrarlo (más de 128 niveles)
inspect-warn-encoding = el texto está en { $encoding }
inspect-warn-picture-large = { $width } × { $height } píxeles son más de los { $limit } megapíxeles que decodifica una vista previa
inspect-warn-picture-unreadable = no se puede leer la imagen (image: { $error })
inspect-warn-too-large = el archivo tiene { $bytes } bytes, más de los { $limit } MiB que se leen: solo se muestra su tipo
inspect-warn-pdf-unreadable = no se puede leer el PDF (lopdf: { $error })
inspect-warn-pdf-malformed = no se puede leer el PDF: está mal formado
inspect-warn-pdf-loop = el árbol de páginas se refiere a sí mismo; se cuentan las páginas anteriores al bucle
inspect-warn-pdf-encrypted = el PDF está cifrado: no se lee su texto
inspect-warn-xml-namespace-utf8 = un espacio de nombres no está en UTF-8
inspect-warn-xml-namespaces = el XML declara demasiados espacios de nombres
inspect-warn-xml-malformed = el XML no está bien formado en el byte { $at } (quick-xml: { $error })
inspect-warn-xml-prefix = el XML usa el prefijo { $prefix } sin declararlo
inspect-warn-xml-roots = el XML tiene más de un elemento raíz
inspect-warn-xml-nesting = el XML anida elementos a más de { $levels } niveles: no se lee
inspect-warn-xml-text-utf8 = el texto del XML no está en UTF-8 (quick-xml: { $error })
inspect-warn-xml-utf8 = el XML no está en UTF-8 (quick-xml: { $error })
inspect-warn-xml-char-ref = el XML tiene una referencia de carácter errónea &{ $name };
inspect-warn-xml-entity = el XML se refiere a la entidad &{ $name };, que nada declara
inspect-warn-xml-dtd = el XML declara un DTD (DOCTYPE), que no se procesa: las entidades y referencias externas se rechazan por seguridad
inspect-warn-xml-no-root = el XML no tiene elemento raíz
inspect-warn-xml-unclosed = el XML termina antes de cerrar sus elementos
inspect-warn-xml-in-place = el XML no se pudo leer en su sitio
inspect-warn-xml-attribute = el XML tiene un atributo mal formado (quick-xml: { $error })
inspect-warn-xml-attribute-value = el XML tiene un atributo que no se puede leer (quick-xml: { $error })
inspect-warn-xml-nodes = el XML tiene más de { $max } nodos: no se lee
inspect-warn-xml-deep = no se muestran los elementos anidados a más de { $levels } niveles
inspect-archive-col-name = nombre
inspect-archive-col-bytes = bytes
inspect-archive-col-modified = modificado
inspect-warning-scan = sin capa de texto: un escaneo
inspect-warn-embedded-inflate = no se lee el archivo incrustado { $name }: no se puede descomprimir (flate: { $error })
inspect-warn-embedded-large = no se lee el archivo incrustado { $name }: descomprimido ocupa más de { $mib } MiB
inspect-warn-embedded-filters = no se lee el archivo incrustado { $name }: sus filtros ({ $filters }) no se admiten
inspect-body-more-lines = … (más de { $max } líneas)
inspect-body-bytes-in-all = … ({ $bytes } bytes en total)
inspect-refused-no-entry = el archivo comprimido no tiene la entrada { $index } (zip: { $error })
inspect-refused-encrypted = la entrada está cifrada: no se lee
inspect-refused-entry-large = la entrada ocupa { $mib } MiB descomprimida, más de los { $max } MiB que lee una vista previa
inspect-refused-entry-ratio = la entrada ocupa { $times } veces su tamaño comprimido: ¿una bomba de descompresión?
inspect-refused-unpack = no se puede descomprimir la entrada (zip: { $error })
inspect-refused-overrun = la entrada descomprimida ocupa más de lo que dice el archivo comprimido: no se lee
inspect-refused-nested = no se abren archivos comprimidos anidados a más de { $depth } niveles
inspect-refused-archive-large = el archivo comprimido tiene { $mib } MiB, más de los { $max } MiB que se leen
inspect-refused-picture-decode = no se puede decodificar la imagen (image: { $error })
inspect-refused-stopped = la vista previa se detuvo ({ $error })
inspect-refused-cache = no se puede renovar la copia en caché { $path } ({ $error })

## La ayuda de la línea de órdenes y sus errores de uso (clap)
cli-word-command = COMANDO
cli-word-options = OPCIONES
cli-value-addr = DIRECCIÓN
cli-value-attachment-id = ID_ADJUNTO
cli-value-dir = CARPETA
cli-value-email = EMAIL
cli-value-file = ARCHIVO
cli-value-id = ID
cli-value-ids = IDS
cli-value-lang = IDIOMA
cli-value-level = NIVEL
cli-value-ms = MS
cli-value-n = N
cli-value-name = NOMBRE
cli-value-origin = ORIGEN
cli-value-path = RUTA
cli-value-per-sec = POR_SEG
cli-value-process-id = ID_PROCESO
cli-value-query = CONSULTA
cli-value-rate = FRACCIÓN
cli-value-secs = SEG
cli-value-status = ESTADO
cli-value-type = TIPO
cli-value-url = URL
cli-value-shell = SHELL
cli-heading-usage = Uso:
cli-heading-commands = Comandos
cli-heading-arguments = Argumentos
cli-heading-options = Opciones
cli-heading-global-options = Opciones globales
cli-spec-env = [entorno: { $name }]
cli-spec-default = [por defecto: { $value }]
cli-spec-values = [valores posibles: { $values }]
# La página de manual (`trackline man`): los títulos y notas de clap_mangen, y
# luego el entorno, los archivos y el estado de salida. Texto llano: el código
# añade los escapes de roff.
man-heading-name = NOMBRE
man-heading-synopsis = SINOPSIS
man-heading-description = DESCRIPCIÓN
man-heading-commands = COMANDOS
man-heading-examples = EJEMPLOS
man-heading-version = VERSIÓN
man-heading-environment = ENTORNO
man-heading-files = ARCHIVOS
man-heading-exit-status = ESTADO DE SALIDA
man-possible-values = Valores posibles:
man-env-also = También puede darse con la variable de entorno { $name }.
man-env-flags = Lo mismo que --base-url, --profile, --download-dir y --config; una opción gana a su variable.
man-env-login = Inicia sesión sin preguntar cuando la sesión guardada falta o ha caducado (scripts, cron, CI).
man-env-ca = Archivos PEM de autoridades de certificación en las que confiar además de las del sistema: el primero como --ca-cert, el segundo se le añade.
man-env-proxy = El proxy de los servidores https y http (en mayúsculas o minúsculas; ganan las minúsculas), y los hosts a los que se llega sin él; --proxy gana a ellas, y ellas al proxy del archivo de configuración.
man-env-log = El nivel de registro, como --log-level.
man-env-no-color = Si tiene un valor no vacío, la TUI no usa colores, como con --no-color.
man-file-config = En la carpeta de configuración del sistema (~/.config/trackline/ en Linux); { $path } muestra su ruta y { $init } escribe una plantilla comentada.
man-file-data = En la carpeta de datos del sistema (~/.local/share/trackline/ en Linux): un archivo de sesión por perfil (modo 0600, nunca la contraseña), el índice local de cada perfil ({ $index }, modo 0600: cada proceso y documento visto, los cambios de estado, los archivos guardados), los procesos recientes, y el último email y servidor de cada perfil.
man-file-index = index/<perfil>.sqlite
man-file-log = En la carpeta de estado del sistema (~/.local/state/trackline/ en Linux), si no en la de caché; rota a los 5 MB y guarda los tres anteriores; { $status } muestra su ruta.
man-exit-status = 0 hecho; 1 cualquier otro error; 2 uso incorrecto o archivo de configuración erróneo; 3 sin sesión, credenciales incorrectas o sesión caducada; 4 no existe el proceso o el adjunto; 5 servidor o red no disponibles tras los reintentos; 6 fallaron algunos archivos de una descarga masiva; 7 el certificado del servidor no es de confianza o no coincide con su nombre; 128 + N terminado por la señal N (130 Ctrl-C, 143 SIGTERM, 141 el lector de la salida estándar se fue).
man-cannot-write = no se puede escribir la página de manual: { $reason }
cli-usage-error = error:
cli-usage-tip = consejo:
cli-usage-similar = { $what ->
        [subcommand] { $count ->
            [one] existe un comando parecido: { $names }
           *[other] existen comandos parecidos: { $names }
        }
        [argument] { $count ->
            [one] existe un argumento parecido: { $names }
           *[other] existen argumentos parecidos: { $names }
        }
       *[other] { $count ->
            [one] existe un valor parecido: { $names }
           *[other] existen valores parecidos: { $names }
        }
    }
cli-usage-more = Para más información, pruebe '{ $help }'.
cli-usage-twice = el argumento { $arg } no se puede usar más de una vez
cli-usage-conflict = el argumento { $arg } no se puede usar con
cli-usage-others = uno o más de los otros argumentos dados
cli-usage-no-equals = hace falta un signo igual para dar valores a { $arg }
cli-usage-value-required = { $arg } necesita un valor y no se dio ninguno
cli-usage-invalid-value = valor no válido { $value } para { $arg }
cli-usage-possible-values = valores posibles
cli-usage-unknown-command = comando desconocido { $command }
cli-usage-missing = faltan estos argumentos obligatorios:
cli-usage-needs-command = { $command } necesita un subcomando y no se dio ninguno
cli-usage-commands = subcomandos
cli-usage-too-many = valor inesperado { $value } para { $arg }; no se esperaban más
cli-usage-how-many = { $arg } necesita { $wanted } valores; { $given ->
        [one] solo se dio { $given }
       *[other] solo se dieron { $given }
    }
cli-usage-bad-lang = "{ $value }" no es un idioma que trackline hable; use en (English) o es (español)
cli-usage-out-of-range = { $value } no está en { $range }
cli-usage-not-a-number = no es un número entero
cli-usage-not-a-decimal = no es un número (escríbalo como 0.25)
cli-usage-not-an-address = no es una dirección: escríbala como IP:PUERTO, como 127.0.0.1:8080
cli-usage-unexpected = argumento inesperado { $arg }
cli-usage-utf8 = se encontró UTF-8 no válido en uno o más argumentos
cli-usage-other = causa desconocida
cli-usage-tip-value = para pasar { $value } como valor, use { $usage }
cli-usage-tip-dash = el comando { $command } existe; para usarlo, quite el '--' de delante
cli-usage-tip-exists = { $flag } existe
cli-about = Navegador de terminal, manejado con el teclado, para la API Trackline de la plataforma Code Contract
cli-examples =
    Ejemplos:
      trackline demo
      trackline login --email ana@example.com
      trackline process --id 12345 --json
      trackline download 98765 -o ~/Facturas
cli-global-base-url = La URL base de la API, con `/api`
cli-global-profile = El perfil: una URL base, un email y su sesión
cli-global-download-dir = Dónde se guardan las descargas (por defecto: la carpeta Descargas + /Trackline)
cli-global-config = El archivo de configuración (por defecto: config.toml en la carpeta de configuración del sistema)
cli-global-allow-insecure-http = Permite http:// sin cifrar hacia hosts que no son loopback
cli-global-ca-cert = Un archivo PEM de autoridades de certificación en las que confiar además de las del sistema (SSL_CERT_FILE también se añade)
cli-global-proxy = El proxy de todas las peticiones, p. ej. http://usuario:contraseña@proxy:3128 ("" para ninguno); gana a HTTPS_PROXY, HTTP_PROXY y ALL_PROXY
cli-global-log-level = Nivel del archivo de registro (error, warn, info, debug, trace, o un filtro de RUST_LOG)
cli-global-no-color = Sin colores en la TUI (como con NO_COLOR): la selección y el estado se ven en negrita, en vídeo inverso y con símbolos
cli-global-lang = El idioma de los textos: en o es (gana a TRACKLINE_LANG, a `lang` de la configuración y al locale)
cli-help = Muestra la ayuda
cli-version = Muestra la versión
cli-about-demo = Abre la TUI contra un servidor sandbox integrado con datos de ejemplo
cli-examples-demo =
    Ejemplo:
      trackline demo    (luego pulse Intro para entrar como el usuario de demostración)
cli-about-login = Inicia sesión y guarda la sesión de este perfil
cli-examples-login =
    Ejemplos:
      trackline login --email ana@example.com
      echo "$PASSWORD" | trackline login --email ana@example.com --password-stdin
cli-arg-login-email = El email (por defecto: el recordado para este perfil, o TRACKLINE_EMAIL)
cli-arg-login-password-stdin = Lee la contraseña de la entrada estándar (primera línea) en vez de pedirla
cli-about-logout = Borra la sesión guardada
cli-examples-logout =
    Ejemplo:
      trackline logout --all
cli-arg-logout-all = Cierra la sesión de todos los perfiles
cli-about-status = Quién ha iniciado sesión, dónde, con qué proxy, cuándo caduca la sesión y dónde está el registro
cli-examples-status =
    Ejemplos:
      trackline status
      trackline --profile prod status
cli-about-profiles = Los perfiles y su estado de sesión
cli-examples-profiles =
    Ejemplo:
      trackline profiles
cli-about-process = Busca un proceso por id o por nombre y lo muestra
cli-examples-process =
    Ejemplos:
      trackline process --id 12345
      trackline process --name "Odoo Billing Process" --json
cli-arg-process-id = El id del proceso
cli-arg-process-name = El nombre del proceso
cli-arg-process-json = Muestra JSON con todos los campos que envió el servidor
cli-about-download = Descarga adjuntos por id, o todos los documentos de un proceso
cli-examples-download =
    Ejemplos:
      trackline download 98765
      trackline download 98765 --output factura.pdf
      trackline download --process 12345 --all -o ~/Facturas
cli-arg-download-attachment-ids = Los adjuntos (el doc_id de un documento)
cli-arg-download-process = Descarga en su lugar los documentos de este proceso
cli-arg-download-all = Con --process: todos los documentos
cli-arg-download-doc-type = Con --process: solo los documentos de este tipo
cli-arg-download-output-dir = La carpeta donde guardar (por defecto: la carpeta de descargas)
cli-arg-download-output = Guarda un adjunto exactamente en este archivo (nunca se sobrescribe)
cli-arg-download-open = Abre cada archivo en cuanto se guarda
cli-arg-download-json = Un objeto JSON por línea y por archivo: attachment_id, path, bytes, sha256 (y "skipped": true para una copia guardada antes)
cli-arg-download-force = Guarda una copia nueva aunque siga ahí, sin cambios, una guardada antes
cli-about-export = Descarga todos los documentos de cada proceso de una lista
cli-examples-export =
    Ejemplo:
      trackline export --ids-from ids.txt -o ~/Exportación --jobs 8
cli-arg-export-ids-from = Un archivo de ids de proceso, uno por línea, o un CSV con una columna process_id
cli-arg-export-output-dir = La carpeta donde exportar (por defecto: la carpeta de descargas)
cli-arg-export-jobs = Descargas a la vez
cli-about-inspect = Resume un documento: los totales y comprobaciones de una factura electrónica, un PDF, una imagen, un archivo comprimido, un texto
cli-examples-inspect =
    Ejemplos:
      trackline inspect 98766
      trackline inspect 98766 --json
      trackline inspect --file factura.xml
cli-arg-inspect-attachment-id = El adjunto (el doc_id de un documento); su copia guardada si la hay, si no se trae a la caché
cli-arg-inspect-file = Un archivo del disco en su lugar
cli-arg-inspect-json = Muestra un objeto JSON: kind, media_type, bytes, sha256, warnings, invoice, pdf, image, archive
cli-about-watch = Vigila procesos: su estado ahora y luego cada cambio
cli-examples-watch =
    Ejemplos:
      trackline watch 12345 12347
      trackline watch 12347 --until Completed --interval 10
      trackline watch --ids-from ids.txt --interval 300 --json >> estados.jsonl
cli-arg-watch-process-ids = Los procesos que vigilar
cli-arg-watch-ids-from = Vigila también cada proceso de este archivo: un id por línea, o un CSV con una columna process_id
cli-arg-watch-interval = Segundos entre dos comprobaciones de cada proceso (al menos 1)
cli-arg-watch-json = Un objeto JSON por línea: process_id, process_name, status, previous, at
cli-arg-watch-until = Sale con 0 cuando todos los procesos vigilados tienen este estado (sin distinguir mayúsculas)
cli-arg-watch-count = Sale con 0 tras N rondas (cada proceso comprobado N veces)
cli-about-search = Busca en los procesos y documentos vistos antes (funciona sin conexión)
cli-examples-search =
    Ejemplos:
      trackline search "odo biling"
      trackline search invoice_001 --json --limit 5
cli-arg-search-query = Palabras del id, el nombre o los datos adicionales de un proceso, o del nombre de un documento; se toleran erratas
cli-arg-search-json = Un objeto JSON por línea, el mejor primero: kind, process_id, process_name, doc_id, doc_name, status, score, last_seen
cli-arg-search-limit = El máximo de resultados mostrados
cli-about-index = Busca procesos para llenar el índice local (no se descarga nada), o lo olvida
cli-examples-index =
    Ejemplos:
      trackline index --ids-from ids.txt --jobs 8
      trackline index --clear
cli-arg-index-ids-from = Busca cada proceso de este archivo (como lo lee `export`: un id por línea, o un CSV con una columna process_id)
cli-arg-index-jobs = Búsquedas a la vez
cli-arg-index-clear = Olvida el índice de este perfil: cada proceso, documento, cambio de estado y archivo guardado que recuerda
cli-about-history = Los cambios de estado vistos de un proceso, del más antiguo al más reciente
cli-examples-history =
    Ejemplos:
      trackline history 12345
      trackline history 12345 --json
cli-arg-history-process-id = El id del proceso
cli-arg-history-json = Un objeto JSON por línea, el más antiguo primero: at, status
cli-about-sandbox = Ejecuta el servidor sandbox con datos de ejemplo
cli-examples-sandbox =
    Ejemplo:
      trackline sandbox --listen 127.0.0.1:8080
      trackline --base-url http://127.0.0.1:8080/api login --email demo@trackline.local
cli-arg-sandbox-listen = Dirección en la que escuchar (el puerto 0 elige uno libre)
cli-arg-sandbox-token-ttl = Vida de los tokens emitidos, en segundos
cli-arg-sandbox-latency-ms = Retrasa cada respuesta este número de milisegundos
cli-arg-sandbox-fail-rate = Responde con 503 a esta fracción de las peticiones (de 0.0 a 1.0)
cli-arg-sandbox-rate-limit = Permite este número de peticiones por segundo; responde al resto con 429 y Retry-After
cli-arg-sandbox-drop-after-bytes = Corta la primera descarga de más de N bytes tras N bytes (una vez)
cli-arg-sandbox-no-range = Ignora las peticiones Range: envía siempre el archivo entero
cli-arg-sandbox-seed = Semilla de los fallos aleatorios de --fail-rate
cli-arg-sandbox-stall-after-bytes = Detiene la primera descarga de más de N bytes tras N bytes, con la conexión abierta (una vez)
cli-arg-sandbox-trickle-ms = Envía las descargas despacio: 1 KiB cada MS milisegundos
cli-arg-sandbox-redirect-to = Responde a las peticiones de metadatos y adjuntos con un 302 a este origen (p. ej. http://127.0.0.1:9)
cli-arg-sandbox-tls = Sirve HTTPS con una autoridad de certificación creada al arrancar; muestra `CA certificate: PATH`
cli-arg-sandbox-tls-name = Con --tls: un nombre para el que es el certificado, en vez de localhost, 127.0.0.1 y ::1 (repetible)
cli-arg-sandbox-tls-expired = Con --tls: sirve un certificado que caducó ayer
cli-arg-sandbox-advance = Lleva estos procesos por Pending, In Progress y Completed con el tiempo (ids separados por comas)
cli-arg-sandbox-advance-every = Segundos entre dos pasos de --advance
cli-arg-sandbox-extra-processes = Sirve además N procesos pequeños, ids desde 900000 (para vigilar muchos procesos)
cli-about-config = Muestra o crea el archivo de configuración
cli-examples-config =
    Ejemplos:
      trackline config path
      trackline config init && $EDITOR "$(trackline config path)"
      trackline --profile prod config show
cli-about-config-path = Muestra dónde está el archivo de configuración (también cuando el archivo tiene un error)
cli-examples-config-path =
    Ejemplo:
      trackline config path
cli-about-config-show = Muestra la configuración efectiva y de dónde vino cada valor (por defecto, archivo de configuración, entorno, línea de órdenes)
cli-examples-config-show =
    Ejemplos:
      trackline config show
      TRACKLINE_PROFILE=prod trackline --download-dir /tmp/x config show
cli-about-config-init = Escribe una plantilla de configuración comentada (nunca sobre un archivo existente)
cli-examples-config-init =
    Ejemplos:
      trackline config init
      trackline --config ./trackline.toml config init
cli-about-help = Muestra este mensaje o la ayuda del subcomando o subcomandos dados
cli-about-completions = Muestra un script de autocompletado para la shell
cli-examples-completions =
    Ejemplos:
      trackline completions bash > ~/.local/share/bash-completion/completions/trackline
      trackline completions zsh > ~/.zfunc/_trackline
      trackline completions fish > ~/.config/fish/completions/trackline.fish
      trackline completions powershell >> $PROFILE
cli-arg-completions-shell = La shell
cli-about-man = Muestra la página de manual (roff)
cli-examples-man =
    Ejemplo:
      trackline man | man -l -

# The names of keys in the hints and the help (config.toml names them in English).
key-ctrl = Ctrl-
key-alt = Alt-
key-shift = Mayús-
key-space = Espacio
key-enter = Intro
key-page-up = RePág
key-page-down = AvPág
key-home = Inicio
key-end = Fin
key-backspace = Retroceso
key-delete = Supr
key-insert = Insert
key-back-tab = Mayús-Tab

## The reasons inside errors (the words of a library or the OS stay as they are in English)
api-login-answer = la respuesta al inicio de sesión no se puede leer ({ $error })
api-login-empty-token = la respuesta al inicio de sesión trae un token vacío
api-through-proxy = { $reason } (a través del proxy { $proxy })
api-login-request = no se puede escribir la petición de inicio de sesión ({ $error })
api-redirect-loop = bucle de redirecciones en { $host }
api-scheme-https = el esquema debe ser https, no { $scheme }
url-no-host = no tiene servidor
api-retry-after = { " " }(reintente en { $secs } s)
api-json-id = se esperaba un id (texto o número) y llegó { $kind }
api-json-shape = se esperaba un objeto de proceso o una lista de ellos y llegó { $kind }
json-kind-null = null
json-kind-boolean = un booleano
json-kind-number = un número
json-kind-string = un texto
json-kind-array = una lista
json-kind-object = un objeto
ca-pem-unreadable = su PEM no se puede leer ({ $error })
ca-cert-unusable = su certificado { $n } no se puede usar ({ $error })
ca-no-certificate = no contiene ningún certificado
ca-missing = no existe
ca-unreadable = no se puede leer ({ $error })
tls-wrong-name-names = su certificado es de otro nombre (nombre incorrecto): nombra { $names }
tls-no-host = ningún servidor
tls-expired-on = su certificado ha caducado (el { $date })
tls-unreadable-date = una fecha ilegible
tls-invalid-other = su certificado no es válido ({ $detail })
tls-failed-other = la conexión segura falló ({ $detail })
os-refused = conexión rechazada
os-dns = no se encuentra el servidor (DNS)
os-reset = la conexión se cortó
os-closed-early = el otro extremo cerró la conexión antes de tiempo
os-timed-out = se agotó el tiempo de espera
os-network-unreachable = la red no está disponible
os-host-unreachable = no hay ruta hasta el servidor
os-permission-denied = permiso denegado
os-not-found = no existe
os-storage-full = el disco está lleno
os-read-only = el sistema de archivos es de solo lectura
os-already-exists = ya existe
os-other = ({ $words })
os-other-code = (os error { $code }: { $words })
proxy-scheme = el esquema debe ser http o https, no { $scheme }
proxy-not-a-url = { $value } no es una URL de proxy ({ $reason }); escríbala como http://servidor:puerto o http://usuario:contraseña@servidor:puerto
index-schema-newer = tiene el esquema { $version } y este trackline lee el { $reads }: actualice trackline
index-damaged-stuck = está dañado y no se puede apartar ({ $error })
index-opened-read-only = se abrió solo para lectura
index-work-stopped = el trabajo con el índice se detuvo ({ $error })
transfer-numbered-full = ya existen { $count } archivos con nombres como { $name }
transfer-not-inside = { $path } no está dentro de { $dir }
api-partial-unasked = el servidor envió solo una parte del archivo sin que se le pidiera
open-no-application = ninguna aplicación pudo abrirlo ({ $error })
open-cannot-run = no se puede ejecutar el programa para abrir { $opener } ({ $error })
open-opener-failed = el programa para abrir { $opener } falló ({ $status })
open-cannot-watch = no se puede vigilar el programa para abrir { $opener } ({ $error })
