"""Inputs of the test document's actions (page form and API serializer)."""

from django import forms
from rest_framework import serializers


class FinishForm(forms.Form):
    resolution = forms.CharField(label="处理结果", max_length=200)


class FinishSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=200)
    version = serializers.IntegerField(required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    version = serializers.IntegerField(required=False)


class TicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    resolution = serializers.CharField()
    version = serializers.IntegerField()
