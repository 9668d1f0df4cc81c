package org.parley.status.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.contract.FieldError;
import org.parley.support.http.ProblemException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;

/** Parameters that broke a constraint (Bean Validation): 400, each named as the client sent it. */
public class ParameterProblems {

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new FieldError(parameter(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return ProblemException.badRequest(errors).toResponse();
    }

    /** The resource methods' parameters carry the names of their query and path parameters. */
    private static String parameter(Path path) {
        String name = null;
        for (Path.Node node : path) {
            name = node.getName();
        }
        return name;
    }
}
