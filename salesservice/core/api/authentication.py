"""Token authentication that also tells the audit trail which token acted."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .. import config_cache, context


def _bind_actor(request, user, via: str) -> None:
    ctx = context.current()
    ctx.user = user
    ctx.via = via


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; records `api:token#<id>` as the channel of every change.

    The one query that finds the token and its user also reads the configuration stamp, so a request's
    cached permissions, scope and policy cost no query of their own (`core.config_cache`, issue 17 §1).
    """

    def authenticate_credentials(self, key):
        token = _token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user, token = result
            _bind_actor(request, user, f"api:token#{token.user_id}")
        return result


_SQL: dict[str, tuple[str, list[str]]] = {}


def _token_with_user(key: str):
    """The token with its user and the configuration stamp, in one statement built once per process on
    PostgreSQL (no ORM compile on every API request); the ORM elsewhere."""
    from django.db import connections, router
    from rest_framework.authtoken.models import Token

    from ..models import ConfigStamp, User

    using = router.db_for_read(Token)
    connection = connections[using]
    if connection.vendor != "postgresql":
        token = (
            Token.objects.select_related("user")
            .annotate(config_stamp=config_cache.stamp_subquery())
            .filter(key=key)
            .first()
        )
        if token is not None:
            config_cache.adopt(token.config_stamp)
        return token
    plan = _SQL.get(using)
    if plan is None:
        quote = connection.ops.quote_name
        fields = [field.attname for field in User._meta.concrete_fields]
        columns = ", ".join(f"u.{quote(field.column)}" for field in User._meta.concrete_fields)
        sql = (
            f"SELECT t.{quote('created')}, (SELECT s.{quote('stamp')} FROM {quote(ConfigStamp._meta.db_table)} s "
            f"WHERE s.{quote('name')} = %s), {columns} FROM {quote(Token._meta.db_table)} t "
            f"INNER JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = t.{quote('user_id')} "
            f"WHERE t.{quote('key')} = %s"
        )
        plan = _SQL[using] = (sql, fields)
    sql, fields = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [config_cache.NAME, key])
        row = cursor.fetchone()
    if row is None:
        return None
    config_cache.adopt(row[1])
    user = User.from_db(using, fields, row[2:])
    token = Token(key=key, user_id=user.pk, created=row[0])
    token._state.adding, token._state.db = False, using
    Token.user.field.set_cached_value(token, user)
    return token
