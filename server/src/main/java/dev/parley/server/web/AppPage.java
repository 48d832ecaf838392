package dev.parley.server.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web app's page must be checked again on every visit, so that a new release reaches browsers at once; its
 * scripts and styles have content hashes in their names and may be cached for as long as Quarkus allows.
 */
@ApplicationScoped
class AppPage {

    void install(@Observes Router router) {
        router.getWithRegex("/(index\\.html)?").order(GrpcWebBridge.ROUTE_ORDER).handler(context -> {
            context.addHeadersEndHandler(ignored -> context.response().headers().set("cache-control", "no-cache"));
            context.next();
        });
    }
}
