"""The back office reads comments and answers, never writes them: both are records of what was said."""

from django.contrib import admin

from zhenggai.comments.models import CommentCall, PublicComment
from zhenggai.readonly_admin import ReadOnlyAdmin


@admin.register(CommentCall)
class CommentCallAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "round", "closes_on", "created_by", "created_at"]


@admin.register(PublicComment)
class PublicCommentAdmin(ReadOnlyAdmin):
    list_display = ["call", "received_at", "answered_at", "answer_public"]
    exclude = ["network"]
