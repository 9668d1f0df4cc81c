package org.parley.ingest.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI metadata only (/q/openapi, Swagger UI at /q/swagger-ui). */
@OpenAPIDefinition(info = @Info(title = "Parley ingest-service", version = "1",
        description = "Newsroom systems post diplomatic statements; each accepted one is durable on Kafka. "
                + "The record contract is contract/statement-event.schema.json."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class IngestApi extends Application {
}
