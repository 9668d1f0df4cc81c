package org.parley.ingest.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/** OpenAPI metadata only (/q/openapi; Swagger UI at /q/swagger-ui in dev mode). */
@OpenAPIDefinition(info = @Info(title = "Parley ingest-service", version = "1",
        description = "Newsroom systems post diplomatic statements; each accepted one is durable on Kafka. "
                + "The record contract is /contract/statement-event.schema.json; the topic's, /asyncapi.yaml.",
        license = @License(name = "Proprietary")),
        servers = @Server(url = "http://localhost:8081", description = "bin/up on this machine; elsewhere, where the service is exposed"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class IngestApi extends Application {
}
