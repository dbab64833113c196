//! Servers (variables, `x-clientgen-select`) and security schemes.

use serde_json::Value;

use crate::diag::join;
use crate::model::{
    ClientCredentialsFlow, ParamLocation, SchemeKind, SecurityScheme, Server, ServerSelect,
};
use crate::naming::{Scope, snake};

use super::operation_lowerer::OperationLowerer;
use super::operations::is_token;

impl OperationLowerer<'_, '_> {
    pub(super) fn lower_servers(&mut self) -> Vec<Server> {
        let mut out = Vec::new();
        for (i, s) in self.spec.servers.iter().enumerate() {
            let pointer = format!("#/servers/{i}");
            let mut url = s.url.clone();
            if let Some(vars) = &s.variables {
                for (name, var) in vars {
                    url = url.replace(&format!("{{{name}}}"), &var.default);
                }
            }
            if url.contains('{') {
                self.types
                    .diags
                    .warn(&pointer, "server URL has a variable without a default");
            }
            let select = s.extensions.get("x-clientgen-select").and_then(|v| {
                let credential = v.get("credential")?.as_str()?.to_owned();
                let prefix = v.get("prefix")?.as_str()?.to_owned();
                Some(ServerSelect { credential, prefix })
            });
            if s.extensions.contains_key("x-clientgen-select") && select.is_none() {
                self.types.diags.error(
                    &pointer,
                    "x-clientgen-select needs string `credential` and `prefix`",
                );
            }
            out.push(Server {
                url,
                description: s.description.clone(),
                select,
            });
        }
        out
    }

    pub(super) fn lower_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        // Setter names must not clash with the builder's own methods.
        let mut scope = Scope::with_reserved(&crate::reserved::reserved().client_builder);
        let Some(components) = &self.spec.components else {
            return out;
        };
        for (key, scheme) in &components.security_schemes {
            let pointer = join("#/components/securitySchemes", key);
            let Some(scheme) = self.types.deref(scheme, &pointer) else {
                continue;
            };
            use openapiv3::SecurityScheme as S;
            let client_credentials = match &*scheme {
                S::OAuth2 { flows, .. } => {
                    flows
                        .client_credentials
                        .as_ref()
                        .map(|flow| ClientCredentialsFlow {
                            token_url: flow.token_url.clone(),
                            scopes: Vec::new(),
                        })
                }
                _ => None,
            };
            let (kind, description, ext) = match &*scheme {
                S::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } if s.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description, extensions)
                }
                S::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } if s.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description, extensions)
                }
                S::HTTP { scheme: s, .. } => {
                    self.types.diags.warn(&pointer, format!("http scheme `{s}` is not supported; operations that need only it are sent without credentials"));
                    continue;
                }
                S::APIKey {
                    location,
                    name,
                    description,
                    extensions,
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    if location == ParamLocation::Header && !is_token(name) {
                        self.types
                            .diags
                            .error(&pointer, format!("`{name}` is not a valid header name"));
                        continue;
                    }
                    (
                        SchemeKind::ApiKey {
                            location,
                            name: name.clone(),
                        },
                        description,
                        extensions,
                    )
                }
                S::OAuth2 {
                    description,
                    extensions,
                    ..
                }
                | S::OpenIDConnect {
                    description,
                    extensions,
                    ..
                } => (SchemeKind::Bearer, description, extensions),
            };
            let rust_name = scope.claim(snake(key));
            // A bearer-kind scheme can also take tokens from a provider, and with the client
            // credentials flow get them itself: a setter each, claimed like the scheme's.
            let token_setters = (kind == SchemeKind::Bearer).then(|| {
                let grant = client_credentials
                    .is_some()
                    .then(|| scope.claim(format!("{rust_name}_client_credentials")));
                let provider = scope.claim(format!("{rust_name}_token_provider"));
                (grant, provider)
            });
            let default_names: Vec<String> = match kind {
                SchemeKind::Basic => vec!["username".into(), "password".into()],
                SchemeKind::Bearer => vec!["token".into()],
                SchemeKind::ApiKey { .. } => vec!["api_key".into()],
            };
            let credentials = match ext.get("x-clientgen-credentials").and_then(Value::as_array) {
                Some(names)
                    if names.len() == default_names.len() && names.iter().all(Value::is_string) =>
                {
                    names.iter().filter_map(Value::as_str).map(snake).collect()
                }
                Some(_) => {
                    self.types.diags.error(
                        &pointer,
                        format!(
                            "x-clientgen-credentials needs {} names",
                            default_names.len()
                        ),
                    );
                    default_names
                }
                None => default_names,
            };
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name,
                kind,
                credentials,
                description: description.clone(),
                client_credentials,
                token_setters,
            });
        }
        out
    }
}
