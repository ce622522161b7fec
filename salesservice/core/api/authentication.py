"""Token authentication that also tells the audit trail which token acted."""

from rest_framework import authentication

from .. import context


def _bind_actor(request, user, via: str) -> None:
    ctx = context.current()
    ctx.user = user
    ctx.via = via


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; records `api:token#<id>` as the channel of every change."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user, token = result
            _bind_actor(request, user, f"api:token#{token.user_id}")
        return result
