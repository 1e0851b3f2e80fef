// Renders the storage UI's own FreeMarker templates with the real FreeMarker engine (Debian's
// libfreemarker-java), configured as the storage UI configures it, for the conformance front end
// conformance/frontends/storage-ui.ts. Our code, not the storage UI's: it reads their templates at run time.
//
//   java -cp /usr/share/java/freemarker.jar conformance/frontends/StorageUiRender.java <webapp dir> <header URL>
//
// Listens on 127.0.0.1 (a free port, printed as "listening <port>" on stdout). POST /render with a JSON
// body {"template": "themes/canfar/index.ftl", "model": {...}} answers the rendered text (200) or the
// FreeMarker error (500, one line). The configuration follows storage-ui's
// net/canfar/storage/web/view/FreeMarkerConfiguration.java (VERSION_2_3_30, no localized lookup, the
// shared variable contextPath ending in "/", a loader on the webapp root) and
// net/canfar/storage/web/restlet/StorageApplication.java#createFreemarkerConfig (for the canfar theme, the
// template "themes/canfar/canfar-application-header" comes from a URL: production's
// https://www.canfar.net/canfar/includes/_application_header.shtml, here the <header URL> argument).
import com.sun.net.httpserver.HttpServer;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.cache.URLTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class StorageUiRender {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StorageUiRender <webapp dir> <application header URL>");
            System.exit(2);
        }
        final File webapp = new File(args[0]);
        final URL headerURL = new URL(args[1]);

        final Configuration config = new Configuration(Configuration.VERSION_2_3_30);
        config.setLocalizedLookup(false);
        config.setDefaultEncoding("UTF-8");
        config.setSharedVariable("contextPath", "/storage/");
        // The header is fetched again when FreeMarker's cache entry is older than this, as in production.
        config.setTemplateUpdateDelayMilliseconds(5000);
        final TemplateLoader headerLoader = new URLTemplateLoader() {
            @Override
            protected URL getURL(String name) {
                return name.equals("themes/canfar/canfar-application-header") ? headerURL : null;
            }
        };
        config.setTemplateLoader(new MultiTemplateLoader(new TemplateLoader[] {new FileTemplateLoader(webapp), headerLoader}));

        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/render", exchange -> {
            byte[] out;
            int status;
            try {
                final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                @SuppressWarnings("unchecked")
                final Map<String, Object> request = (Map<String, Object>) new Json(body).value();
                final Template template = config.getTemplate((String) request.get("template"));
                final StringWriter writer = new StringWriter();
                template.process(request.get("model"), writer);
                out = writer.toString().getBytes(StandardCharsets.UTF_8);
                status = 200;
            } catch (Exception e) {
                out = (e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ')).getBytes(StandardCharsets.UTF_8);
                status = 500;
            }
            exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
        System.out.flush();
    }

    /** A small JSON reader: objects become maps, arrays lists, numbers Long or Double; FreeMarker wraps them. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            final char c = s.charAt(i);
            if (c == '{') {
                final Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    final String k = string();
                    ws();
                    expect(':');
                    final Object v = value();
                    if (v != null) m.put(k, v);
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                final List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            final int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            final String n = s.substring(start, i);
            if (n.isEmpty()) throw new IllegalArgumentException("bad JSON at " + start);
            return n.matches("-?\\d+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
        }

        private String string() {
            expect('"');
            final StringBuilder b = new StringBuilder();
            while (true) {
                final char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                final char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("bad JSON at " + i + ": expected " + c);
            i++;
        }
    }
}
