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
        }

        impl ClientBuilder {
            #(#setters)*
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
