package dev.parley.server.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web app's page. It must be checked again on every visit, so that a new release reaches browsers at once; its
 * scripts and styles have content hashes in their names and may be cached for as long as Quarkus allows. It is
 * served with a strict Content-Security-Policy: scripts, styles and connections only from this origin (whose
 * gRPC-Web API the app calls), no inline script or style, no plugins, no framing. Injected markup, were any to slip
 * past the app's text-only rendering, could neither run nor send what it reads anywhere else.
 */
@ApplicationScoped
class AppPage {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    void install(@Observes Router router) {
        router.getWithRegex("/(index\\.html)?").order(GrpcWebBridge.ROUTE_ORDER).handler(context -> {
            context.addHeadersEndHandler(ignored -> context.response().headers()
                    .set("cache-control", "no-cache")
                    .set("content-security-policy", CONTENT_SECURITY_POLICY)
                    .set("x-content-type-options", "nosniff")
                    .set("referrer-policy", "no-referrer"));
            context.next();
        });
    }
}
