import CatracaHTTP

/// The status page's HTML, served from the binary: it works with no internet, loads nothing from elsewhere,
/// and its Content-Security-Policy lets it run only its own script and style.
enum StatusPageAssets {
    static let scriptPath = "/app.js"
    static let stylePath = "/app.css"

    /// Sent with every page, asset, login and event-stream response.
    static var securityHeaders: HTTPHeaders {
        HTTPHeaders([
            ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
             + "connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cache-Control", "no-store"),
        ])
    }

    /// The page for a logged-in session; `csrfToken` goes in a meta tag the script sends back.
    static func page(csrfToken: String) -> HTTPResponse {
        html(status: 200, """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(escaped(csrfToken))">
        <title>Catraca</title>
        <link rel="stylesheet" href="\(stylePath)">
        </head>
        <body>
        <header>
          <h1><a href="#">Catraca</a></h1>
          <span id="live" class="badge off" data-live="false">connecting</span>
          <button id="logout" type="button">Log out</button>
        </header>
        <main>
          <section id="overview">
            <div class="card" id="terminals-card"><h2>Terminals</h2><div id="terminals"></div></div>
            <div class="card"><h2>Last passages</h2><ol id="passages" class="passages"></ol></div>
            <div class="card" id="turnstiles-card" hidden><h2>Turnstiles</h2><div id="turnstiles"></div></div>
            <div class="card" id="outbox-card" hidden><h2>Outbox</h2><div id="outbox"></div></div>
            <div class="card" id="plugins-card" hidden><h2>Plugins</h2><div id="plugins"></div></div>
            <div class="card"><h2>Daemon</h2><div id="daemon"></div></div>
          </section>
          <section id="detail" hidden></section>
        </main>
        <script src="\(scriptPath)"></script>
        </body>
        </html>
        """)
    }

    /// The login form, with a sentence saying why it is shown again.
    static func loginPage(status: Int, message: String?) -> HTTPResponse {
        let note = message.map { "<p class=\"error\" id=\"login-error\">\(escaped($0))</p>" } ?? ""
        return html(status: status, """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Catraca: log in</title>
        <link rel="stylesheet" href="\(stylePath)">
        </head>
        <body>
        <main class="login">
          <h1>Catraca</h1>
          \(note)
          <form method="post" action="/login" id="login">
            <label for="token">API token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Log in</button>
          </form>
          <p class="hint">The token is in the file <code>api-token</code> beside the database, or <code>api.token</code>
          in the configuration.</p>
        </main>
        </body>
        </html>
        """)
    }

    static func asset(_ text: String, contentType: String) -> HTTPResponse {
        var headers = securityHeaders
        headers.replaceOrAdd(name: "Content-Type", value: contentType)
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }

    private static func html(status: Int, _ text: String) -> HTTPResponse {
        var response = asset(text, contentType: "text/html; charset=utf-8")
        response.status = status
        response.reason = status == 429 ? "Too Many Requests" : HTTPResponse.standardReason(for: status)
        return response
    }

    /// `text` safe inside HTML text and attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
