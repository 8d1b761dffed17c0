"""The duty catalogue from the training deck: daily duties and the eight business duties.

Rows, not constants: supervisors rename, reorder or add tasks in the admin.
"""

from django.db import migrations

# (code, kind, order, Chinese name, English name, goal, [(task code, Chinese, English)])
CATALOGUE = [
    (
        "daily",
        "daily",
        0,
        "日常工作职责",
        "Daily duties",
        "",
        [
            ("attendance", "考勤打卡", "Record attendance"),
            ("daily-log", "填写工作日志", "Write the daily log"),
        ],
    ),
    (
        "plan",
        "business",
        1,
        "网点业务计划落实与推动",
        "Carry out and push the branch business plan",
        "让网点达成计划任务，代理业务顺畅开展。",
        [
            ("explain-competition", "讲解竞赛方案", "Explain the competition scheme"),
            ("agree-targets", "商定计划任务", "Agree the plan targets"),
            ("collect-branch-data", "收集网点资料", "Collect branch data"),
            ("pass-on-policy", "宣导公司政策", "Pass on company policy"),
            ("report-abnormal", "反馈异常情况", "Report abnormal events"),
        ],
    ),
    (
        "relationship",
        "business",
        2,
        "网点业务关系的建立与维护",
        "Build and keep the branch relationship",
        "",
        [
            ("visit-branch", "拜访网点", "Visit the branch"),
            ("update-staff", "更新网点人员资料", "Update the branch staff records"),
            ("competitor-products", "记录代理同业产品简况", "Record competitors' products"),
        ],
    ),
    (
        "training",
        "business",
        3,
        "网点日常培训及业务辅导",
        "Train and coach the branch",
        "",
        [
            ("branch-training", "网点培训", "Training at the branch"),
            ("centralised-training", "集中培训", "Centralised training"),
            ("coaching", "日常辅导", "Daily coaching"),
        ],
    ),
    (
        "materials",
        "business",
        4,
        "网点资料和单证的配送等售前服务",
        "Deliver materials and forms, pre-sale service",
        "保证资料和单证不断档。",
        [
            ("deliver-materials", "配送资料和单证", "Deliver materials and forms"),
            ("collect-forms", "收取投保单并初审", "Collect and review application forms"),
            ("branch-layout", "网点布置", "Branch layout"),
            ("consultation-day", "网点业务咨询", "Consultation day at the branch"),
        ],
    ),
    (
        "complaints",
        "business",
        5,
        "解决客户疑难问题和投诉",
        "Solve customers' hard questions and complaints",
        "",
        [("handle-complaints", "处理疑难问题和投诉", "Handle hard questions and complaints")],
    ),
    (
        "policy-servicing",
        "business",
        6,
        "代办保全业务等服务",
        "Policy servicing on the customer's behalf",
        "",
        [
            ("policy-servicing", "代办保全", "Policy servicing"),
            ("large-customers", "大客户跟踪服务", "Follow up large customers"),
        ],
    ),
    (
        "other-service",
        "business",
        7,
        "其他客户服务",
        "Other customer service",
        "",
        [("other-service", "其他客户服务", "Other customer service")],
    ),
    (
        "company-rules",
        "business",
        8,
        "遵守公司各项规章制度",
        "Keep the company's rules",
        "如劳动差勤管理。",
        [("keep-rules", "遵守劳动差勤管理", "Keep the attendance rules")],
    ),
]


def forwards(apps, schema_editor):
    DutyArea = apps.get_model("duties", "DutyArea")
    DutyTask = apps.get_model("duties", "DutyTask")
    for code, kind, order, name, name_en, goal, tasks in CATALOGUE:
        area, _created = DutyArea.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "order": order, "name": name, "name_en": name_en, "goal": goal},
        )
        for index, (task_code, task_name, task_name_en) in enumerate(tasks, start=1):
            DutyTask.objects.get_or_create(
                code=task_code,
                defaults={"area": area, "order": index, "name": task_name, "name_en": task_name_en},
            )


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
