"""The API command of the jixiao command line::

    jixiao api-token --user NAME [--label TEXT]     a new token, printed once
    jixiao api-token --user NAME --list             the user's tokens (no token text)
    jixiao api-token --user NAME --revoke ID        delete one of them

Only a hash of the token is stored: a lost token cannot be shown again, only revoked
and replaced.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def cmd_api_token(args: argparse.Namespace, migrate: Callable[[], None]) -> int:
    from django.contrib.auth import get_user_model

    from jixiao.errors import UserFacingError
    from jixiao.web.api.models import ApiToken

    migrate()
    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        raise UserFacingError(f"没有用户名为“{args.user}”的账号")
    if args.list:
        tokens = list(ApiToken.objects.filter(user=user))
        if not tokens:
            print(f"用户“{args.user}”没有接口令牌")
        for token in tokens:
            used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "从未使用"
            print(f"  {token.pk}  创建于 {token.created:%Y-%m-%d %H:%M}  最近使用 {used}  "
                  f"{token.label}")  # fmt: skip
        return 0
    if args.revoke is not None:
        deleted, _ = ApiToken.objects.filter(user=user, pk=args.revoke).delete()
        if not deleted:
            raise UserFacingError(f"用户“{args.user}”没有编号为{args.revoke}的接口令牌")
        print(f"已作废接口令牌 {args.revoke}")
        return 0
    if not user.is_active:
        raise UserFacingError(f"账号“{args.user}”已停用，不能生成接口令牌")
    row, text = ApiToken.issue(user, label=args.label)
    print(f"已为“{args.user}”生成接口令牌（编号 {row.pk}）。令牌只显示这一次，请妥善保存：")
    print(text)
    print("使用方法：请求头 Authorization: Bearer <令牌>，如")
    print(f"  curl -H 'Authorization: Bearer {text}' http://127.0.0.1:8000/api/years")
    return 0


def add_api_commands(commands: Any, migrate: Callable[[], None]) -> None:
    """Add ``api-token`` to the jixiao command line's sub-parsers."""
    token = commands.add_parser("api-token", help="为用户生成接口（/api/）令牌；令牌只显示一次")
    token.add_argument("--user", required=True, help="用户名")
    token.add_argument("--label", default="", help="用途说明，如 报表系统")
    token.add_argument("--list", action="store_true", help="列出该用户的令牌（不显示令牌本身）")
    token.add_argument("--revoke", type=int, metavar="ID", help="作废一个令牌（编号见 --list）")
    token.set_defaults(handler=lambda args: cmd_api_token(args, migrate))
