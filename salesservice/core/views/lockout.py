"""What a locked-out login sees (django-axes): a Chinese page, or the API error format."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    if getattr(request, "login_ip_limited", False):  # core.auth.FailedLoginGuard: the address, not an account
        minutes = max(1, settings.LOGIN_IP_WINDOW_SECONDS // 60)
        message = _("此网络地址登录失败次数过多，已暂停登录，请 %(minutes)s 分钟后再试或联系管理员。") % {
            "minutes": minutes
        }
    else:
        minutes = int(round(float(settings.AXES_COOLOFF_TIME) * 60))
        message = _("登录失败次数过多，账号已暂时锁定，请 %(minutes)s 分钟后再试或联系管理员。") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "auth.locked_out", "detail": message, "fields": {}}, status=429)
    return render(request, "registration/locked_out.html", {"minutes": minutes, "message": message}, status=429)
