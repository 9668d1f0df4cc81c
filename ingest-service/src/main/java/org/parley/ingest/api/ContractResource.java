package org.parley.ingest.api;

import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The record contract, served beside the AsyncAPI document (/asyncapi.yaml) that refers to it, straight from the
 * classpath: the one copy both services validate against.
 */
@Path("/contract")
@Tag(name = "contract", description = "The Kafka record contract (see /asyncapi.yaml)")
@SecurityRequirementsSet // public: no token
public class ContractResource {
    static final String SCHEMA = "contract/statement-event.schema.json";

    @GET
    @Path("/statement-event.schema.json")
    @Produces("application/schema+json")
    @Operation(summary = "The JSON Schema of a statement record", description = "The payload of the "
            + "diplomatic-statements topic, referred to by the AsyncAPI document at /asyncapi.yaml.")
    @APIResponse(responseCode = "200", description = "The JSON Schema (draft 2020-12)")
    @APIResponse(responseCode = "404", description = "Not packaged with this build")
    public InputStream schema() {
        InputStream schema = Thread.currentThread().getContextClassLoader().getResourceAsStream(SCHEMA);
        if (schema == null) {
            throw new NotFoundException();
        }
        return schema;
    }
}
