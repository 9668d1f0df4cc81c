package org.parley.status.api;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

import jakarta.ws.rs.core.Application;

/** OpenAPI metadata only (/q/openapi; Swagger UI at /q/swagger-ui in dev mode). */
@OpenAPIDefinition(info = @Info(title = "Parley status-service", version = "1",
        description = "The state of each bilateral relationship, folded from the diplomatic-statements topic. "
                + "Reads need no token; the admin operations need an admin bearer token.",
        license = @License(name = "Proprietary")),
        servers = @Server(url = "http://localhost:8082", description = "bin/up on this machine; elsewhere, where the service is exposed"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An admin token (PARLEY_ADMIN_TOKENS)")
public class StatusApi extends Application {
}
