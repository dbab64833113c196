//! `src/client.rs`: `Client::new`, `Client::builder`, servers and credential setters.

use super::*;

/// `src/client.rs`: constructors and credential setters, from the security schemes and servers.
pub fn emit_client(api: &Api) -> TokenStream {
    let constructor = api.constructor_scheme.map(|i| &api.schemes[i]);
    let default_server = api
        .servers
        .iter()
        .find(|s| s.select.is_none())
        .or(api.servers.first())
        .map(|s| s.url.clone())
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or_default();
    let (params, args, credential) = match constructor {
        Some(s) => {
            let names: Vec<Ident> = s.credentials.iter().map(|c| ident(c)).collect();
            let key = &s.key;
            match &s.kind {
                SchemeKind::Basic => {
                    let (u, p) = (&names[0], &names[1]);
                    (
                        quote! { #u: impl Into<String>, #p: impl Into<Secret> },
                        quote! { #u, #p },
                        quote! {
                            let #u: String = #u.into();
                            let credential = Credential::Basic { username: #u.clone(), password: #p.into() };
                            let credential_key = #key;
                        },
                    )
                }
                SchemeKind::Bearer => {
                    let t = &names[0];
                    (
                        quote! { #t: impl Into<Secret> },
                        quote! { #t },
                        quote! {
                            let #t: Secret = #t.into();
                            let credential = Credential::Bearer(#t.clone());
                            let credential_key = #key;
                        },
                    )
                }
                SchemeKind::ApiKey { location, name } => {
                    let t = &names[0];
                    let loc = location_tokens(*location);
                    (
                        quote! { #t: impl Into<Secret> },
                        quote! { #t },
                        quote! {
                            let #t: Secret = #t.into();
                            let credential = Credential::ApiKey { location: #loc, name: #name, value: #t.clone() };
                            let credential_key = #key;
                        },
                    )
                }
            }
        }
        None => (quote! {}, quote! {}, quote! {}),
    };
    // `x-clientgen-select`: servers chosen by a prefix of the first credential (a user name,
    // which is not secret). Rules for other credentials are ignored: secrets never pick servers.
    let first_credential = constructor.and_then(|s| match s.kind {
        SchemeKind::Basic => s.credentials.first().cloned(),
        _ => None,
    });
    let mut base_url = quote! { #default_server };
    for server in api.servers.iter().rev() {
        if let Some(select) = &server.select {
            if Some(&select.credential) == first_credential.as_ref() {
                let var = ident(&select.credential);
                let prefix = &select.prefix;
                let url = &server.url;
                base_url = quote! { if #var.starts_with(#prefix) { #url } else { #base_url } };
            }
        }
    }
    let with_credential = if constructor.is_some() {
        quote! { .credential(credential_key, credential) }
    } else {
        quote! {}
    };
    let server_doc = match (&first_credential, api.servers.iter().find(|s| s.select.is_some())) {
        (Some(_), Some(s)) => {
            let select = s.select.as_ref().map(|x| format!("`{}` starts with `{}`", x.credential, x.prefix)).unwrap_or_default();
            format!(" The server is `{}` when {select}, and `{default_server}` otherwise; change it with [`ClientBuilder::base_url`].", s.url)
        }
        _ if default_server.is_empty() => " The API description names no absolute server: set one with [`ClientBuilder::base_url`].".to_owned(),
        _ => format!(" The server is `{default_server}`; change it with [`ClientBuilder::base_url`]."),
    };
    let use_oauth2 = if api.schemes.iter().any(|s| s.token_setters.is_some()) {
        quote! { use crate::runtime::oauth2; }
    } else {
        quote! {}
    };
    let token_setters = api
        .schemes
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != api.constructor_scheme)
        .map(|(_, s)| token_setters(s));
    let token_constructors = constructor.map(token_constructors);
    let setters = api.schemes.iter().enumerate().filter(|(i, _)| Some(*i) != api.constructor_scheme).map(|(_, s)| {
        let name = ident(&s.rust_name);
        let key = &s.key;
        let doc = docs(join_docs(&[s.description.as_deref(), Some(&format!("Credentials for the `{key}` security scheme."))]).as_deref());
        match &s.kind {
            SchemeKind::Basic => {
                let (u, p) = (ident(&s.credentials[0]), ident(&s.credentials[1]));
                quote! { #doc pub fn #name(self, #u: impl Into<String>, #p: impl Into<Secret>) -> Self {
                    self.credential(#key, Credential::Basic { username: #u.into(), password: #p.into() })
                } }
            }
            SchemeKind::Bearer => {
                let t = ident(&s.credentials[0]);
                quote! { #doc pub fn #name(self, #t: impl Into<Secret>) -> Self { self.credential(#key, Credential::Bearer(#t.into())) } }
            }
            SchemeKind::ApiKey { location, name: wire } => {
                let t = ident(&s.credentials[0]);
                let loc = location_tokens(*location);
                quote! { #doc pub fn #name(self, #t: impl Into<Secret>) -> Self {
                    self.credential(#key, Credential::ApiKey { location: #loc, name: #wire, value: #t.into() })
                } }
            }
        }
    });
    quote! {
        //! Creating a client: servers and credentials.
        #[allow(unused_imports)]
        use crate::runtime::{Client, ClientBuilder, Credential, Error, KeyLocation, Secret};
        #use_oauth2

        impl Client {
            /// Creates a client with the default settings (see [`Client::builder`]).
            pub fn new(#params) -> Result<Client, Error> {
                Self::builder(#args).build()
            }

            /// Starts configuring a client: base URL, timeouts, retries, HTTP client.
            #[doc = ""]
            #[doc = #server_doc]
            pub fn builder(#params) -> ClientBuilder {
                #credential
                let base_url = #base_url;
                ClientBuilder::with_base_url(base_url) #with_credential
            }

            #token_constructors
        }

        impl ClientBuilder {
            #(#setters)*
            #(#token_setters)*
        }
    }
}

/// Doc attributes of text written here (not from the description), one per line; what a
/// description supplies goes in through [`code`].
fn own_docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

/// A name or URL from the description as a code span: no backtick or control character can
/// end it early or start another line.
fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() && *c != '`')
        .collect();
    format!("`{text}`")
}

/// The doc lines that say how a scheme's client credentials flow gets tokens.
fn grant_doc(key: &str, flow: &ClientCredentialsFlow) -> Vec<String> {
    let scopes = if flow.scopes.is_empty() {
        "no scope (the authorization server's default)".to_owned()
    } else {
        let list: Vec<String> = flow.scopes.iter().map(|s| code(s)).collect();
        format!("the scopes {}", list.join(", "))
    };
    vec![
        format!(
            "OAuth 2 tokens for the {} security scheme, got with the client credentials",
            code(key)
        ),
        format!(
            "grant from {} (resolved against the base URL), asking for {scopes}",
            code(&flow.token_url)
        ),
        "unless [`oauth2::ClientCredentials::scopes`] names others. The client caches a token,"
            .into(),
        "renews it before it expires, and gets a new one when the API answers `401`; see".into(),
        "[`oauth2`].".into(),
    ]
}

/// `ClientBuilder` setters of a bearer-kind scheme's token sources.
fn token_setters(s: &SecurityScheme) -> TokenStream {
    let Some((grant, provider)) = &s.token_setters else {
        return quote! {};
    };
    let key = &s.key;
    let grant = match (grant, &s.client_credentials) {
        (Some(name), Some(flow)) => {
            let name = ident(name);
            let doc = own_docs(&grant_doc(key, flow));
            let url = &flow.token_url;
            let scopes = &flow.scopes;
            quote! { #doc pub fn #name(self, credentials: oauth2::ClientCredentials) -> Self {
                self.credential(#key, Credential::client_credentials(credentials, #url, &[#(#scopes),*]))
            } }
        }
        _ => quote! {},
    };
    let provider = ident(provider);
    let doc = own_docs(&[
        format!(
            "Bearer tokens for the {} security scheme from a provider of your own (see",
            code(key)
        ),
        "[`oauth2::TokenProvider`]): the client asks it for a token when it has none, one call at"
            .into(),
        "a time, and again when the token expires or the API answers `401`.".into(),
    ]);
    quote! {
        #grant
        #doc pub fn #provider(self, provider: impl oauth2::TokenProvider) -> Self {
            self.credential(#key, Credential::token_provider(provider))
        }
    }
}

/// `Client::with_client_credentials` and `Client::with_token_provider`, for a constructor
/// scheme that sends a bearer token: builders that need no ready token.
fn token_constructors(s: &SecurityScheme) -> TokenStream {
    if s.kind != SchemeKind::Bearer {
        return quote! {};
    }
    let key = &s.key;
    let same_server = "The server is as [`Client::builder`] says.".to_owned();
    let grant = match &s.client_credentials {
        Some(flow) => {
            let mut lines = vec![
                "Starts configuring a client that gets its own tokens: no ready token needed."
                    .to_owned(),
                String::new(),
            ];
            lines.extend(grant_doc(key, flow));
            lines.extend([String::new(), same_server.clone()]);
            let doc = own_docs(&lines);
            let url = &flow.token_url;
            let scopes = &flow.scopes;
            quote! { #doc pub fn with_client_credentials(credentials: oauth2::ClientCredentials) -> ClientBuilder {
                Self::builder("").credential(#key, Credential::client_credentials(credentials, #url, &[#(#scopes),*]))
            } }
        }
        None => quote! {},
    };
    let doc = own_docs(&[
        format!(
            "Starts configuring a client whose bearer tokens for the {} security scheme",
            code(key)
        ),
        "come from a provider of your own (see [`oauth2::TokenProvider`]).".into(),
        String::new(),
        same_server,
    ]);
    quote! {
        #grant
        #doc pub fn with_token_provider(provider: impl oauth2::TokenProvider) -> ClientBuilder {
            Self::builder("").credential(#key, Credential::token_provider(provider))
        }
    }
}

pub(super) fn location_tokens(l: ParamLocation) -> TokenStream {
    match l {
        ParamLocation::Header => quote! { KeyLocation::Header },
        ParamLocation::Query | ParamLocation::QueryString(_) => quote! { KeyLocation::Query },
        ParamLocation::Cookie => quote! { KeyLocation::Cookie },
        ParamLocation::Path => quote! { KeyLocation::Header },
    }
}
